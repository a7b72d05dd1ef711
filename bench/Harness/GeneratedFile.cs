namespace DuckChat.Bench.Harness;

/// <summary>
/// A file's bytes made as the request body is read: one block of random bytes over and over, so an upload of any size
/// costs the harness no array of that size and no time to speak of. Not seekable, as a browser's upload body is not.
/// </summary>
public sealed class GeneratedFile(long length) : Stream
{
    private static readonly byte[] Block = RandomBlock();
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        for (var done = 0; done < count;)
        {
            var from = (int)((_position + done) % Block.Length);
            var take = Math.Min(count - done, Block.Length - from);
            Block.AsSpan(from, take).CopyTo(buffer[done..]);
            done += take;
        }

        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The same bytes every run (a fixed seed), which the server sniffs as a plain binary file.</summary>
    private static byte[] RandomBlock()
    {
        var block = new byte[1024 * 1024];
        new Random(18).NextBytes(block);
        return block;
    }
}
