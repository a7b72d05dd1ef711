namespace DuckChat.Web.Files.Images;

/// <summary>
/// What a metadata stripper keeps of a file: ranges of the original copied byte for byte, and the few small parts it
/// rewrites. A format's whole structure is checked before anything is written, so a broken file writes nothing.
/// </summary>
internal sealed class CleanedFile
{
    private readonly List<(long Offset, long Length, byte[]? Bytes)> parts = [];

    public long Length { get; private set; }

    public void Copy(long offset, long length)
    {
        if (parts.Count > 0 && parts[^1] is { Bytes: null } last && last.Offset + last.Length == offset)
        {
            parts[^1] = (last.Offset, last.Length + length, null);
        }
        else
        {
            parts.Add((offset, length, null));
        }

        Length += length;
    }

    public void Add(byte[] bytes)
    {
        parts.Add((0, bytes.Length, bytes));
        Length += bytes.Length;
    }

    public async Task WriteAsync(Stream original, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        foreach (var (offset, length, bytes) in parts)
        {
            if (bytes is not null)
            {
                await output.WriteAsync(bytes, cancellationToken);
                continue;
            }

            original.Position = offset;
            for (var left = length; left > 0;)
            {
                var read = await original.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }
        }
    }
}
