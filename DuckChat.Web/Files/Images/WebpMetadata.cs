using System.Buffers.Binary;

namespace DuckChat.Web.Files.Images;

/// <summary>
/// Keeps a WebP's picture chunks (VP8, VP8L, alpha, animation frames and their settings, the ICC colour profile) and
/// copies them byte for byte; the EXIF and XMP chunks and any unknown chunk are removed, the extended header's EXIF and
/// XMP flags cleared and the RIFF size written anew. A chunk running past the file's end makes it broken.
/// </summary>
internal static class WebpMetadata
{
    private const int ExtendedHeaderLength = 10;
    private const byte ExifFlag = 0x08, XmpFlag = 0x04;

    private static readonly HashSet<string> Kept = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"];

    public static CleanedFile Strip(ByteReader reader)
    {
        if (!reader.Next("RIFF"u8))
        {
            throw new InvalidDataException("Not a RIFF file.");
        }

        var end = 8L + reader.ReadUInt32LittleEndian();
        if (end > reader.Length || !reader.Next("WEBP"u8))
        {
            throw new InvalidDataException("Not a whole WebP file.");
        }

        // The RIFF header goes first; its size is filled in once the kept chunks are known.
        var riff = new byte[12];
        "RIFF"u8.CopyTo(riff);
        "WEBP"u8.CopyTo(riff.AsSpan(8));
        var kept = new CleanedFile();
        kept.Add(riff);
        Span<byte> fourCc = stackalloc byte[4];
        var pictures = 0;
        while (reader.Position < end)
        {
            var start = reader.Position;
            reader.Read(fourCc);
            var size = reader.ReadUInt32LittleEndian();
            var type = System.Text.Encoding.ASCII.GetString(fourCc);
            var padded = size + (size & 1);
            if (start + 8 + padded > end)
            {
                throw new InvalidDataException("A chunk runs past the end of the file.");
            }

            if (type == "VP8X" && start == 12 && size == ExtendedHeaderLength)
            {
                var header = new byte[8 + ExtendedHeaderLength];
                fourCc.CopyTo(header);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), size);
                reader.Read(header.AsSpan(8));
                header[8] &= unchecked((byte)~(ExifFlag | XmpFlag));
                kept.Add(header);
                continue;
            }

            reader.Skip(padded);
            if (type is "VP8X")
            {
                throw new InvalidDataException("An extended header that is not the first chunk.");
            }

            if (Kept.Contains(type))
            {
                kept.Copy(start, 8 + padded);
                pictures += type is "VP8 " or "VP8L" or "ANMF" ? 1 : 0;
            }
        }

        if (pictures == 0)
        {
            throw new InvalidDataException("A WebP without a picture.");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), checked((uint)(kept.Length - 8)));
        return kept;
    }
}
