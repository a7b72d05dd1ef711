using Amazon.S3;
using Amazon.S3.Model;

namespace DuckChat.Web.Files.Storage;

/// <summary>
/// An object in the store, read through ranged GETs: seekable, with its length known, so ASP.NET can serve a range of it
/// (it seeks, then reads). A GET starts at the first read after opening or after a seek and runs to the end of the
/// object, so reading front to back is one request, and a range costs no byte before it.
/// </summary>
internal sealed class S3ObjectStream(IAmazonS3 client, string bucket, string key, long length) : ReadOnlySeekableStream
{
    private GetObjectResponse? _response;

    public override long Length => length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (At >= length || buffer.IsEmpty)
        {
            return 0;
        }

        _response ??= await client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket, Key = key, ByteRange = new ByteRange(At, length - 1),
        }, cancellationToken);
        var read = await _response.ResponseStream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - At)], cancellationToken);
        At += read;
        return read > 0 ? read : throw new IOException($"The stored object {key} ended before its {length} bytes.");
    }

    /// <summary>For readers that only read synchronously (image decoders); a request's own reads are asynchronous.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void PositionChanging()
    {
        // The open GET reads from the old position; the next read asks for the range from the new one.
        _response?.Dispose();
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
            _response = null;
        }

        base.Dispose(disposing);
    }
}
