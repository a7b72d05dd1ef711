namespace DuckChat.Web.Files.Storage;

/// <summary>
/// An upload read once, front to back, in slices that go to the object store as one PUT or as the parts of one. It must
/// hold exactly the declared number of bytes: a shorter or longer one throws before its last byte is sent, so the store
/// never completes it.
/// </summary>
internal sealed class UploadBody(Stream source, long length)
{
    private long _handedOut;

    /// <summary>Bytes not yet handed out in a slice.</summary>
    public long Remaining => length - _handedOut;

    /// <summary>The next <paramref name="size"/> bytes, as a stream to read once.</summary>
    public Stream Next(long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Remaining);
        _handedOut += size;
        return new Slice(source, size, isLast: Remaining == 0, length);
    }

    /// <summary>
    /// Says it can seek, with its length known, because the SDK's part upload takes only such streams; it answers only
    /// seeks that stay where it is, so the upload never has to be held to be sent twice (the uploading client never retries).
    /// </summary>
    private sealed class Slice(Stream source, long size, bool isLast, long declared) : ReadOnlySeekableStream
    {
        public override long Length => size;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (At == size || buffer.IsEmpty)
            {
                return 0;
            }

            var read = Counted(source.Read(buffer[..Wanted(buffer.Length)]));
            if (EndsTheUpload)
            {
                NothingMayFollow(source.Read(new byte[1]));
            }

            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (At == size || buffer.IsEmpty)
            {
                return 0;
            }

            var read = Counted(await source.ReadAsync(buffer[..Wanted(buffer.Length)], cancellationToken));
            if (EndsTheUpload)
            {
                NothingMayFollow(await source.ReadAsync(new byte[1], cancellationToken));
            }

            return read;
        }

        protected override void PositionChanging() => throw new NotSupportedException("An upload is read once, front to back.");

        private int Wanted(int room) => (int)Math.Min(room, size - At);

        /// <summary>True once the last slice has given its last byte: the source must end there.</summary>
        private bool EndsTheUpload => isLast && At == size;

        private int Counted(int read)
        {
            At += read;
            return read > 0 ? read : throw new IOException($"The upload ended before its declared {declared} bytes.");
        }

        private static void NothingMayFollow(int read)
        {
            if (read > 0)
            {
                throw new IOException("The upload is longer than it declared.");
            }
        }
    }
}
