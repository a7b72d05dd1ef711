namespace DuckChat.Web.Files.Storage;

/// <summary>
/// What the store's streams share: read-only, with a known length and a position; each says which positions it can
/// move to (<see cref="PositionChanging"/>).
/// </summary>
internal abstract class ReadOnlySeekableStream : Stream
{
    public sealed override bool CanRead => true;
    public sealed override bool CanSeek => true;
    public sealed override bool CanWrite => false;

    public sealed override long Position
    {
        get => At;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The position: where the next read starts.</summary>
    protected long At { get; set; }

    public sealed override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => At + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != At)
        {
            PositionChanging();
            At = target;
        }

        return At;
    }

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override void Flush()
    {
    }

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Called before the position changes; throws when this stream cannot read from anywhere but where it is.</summary>
    protected abstract void PositionChanging();
}
