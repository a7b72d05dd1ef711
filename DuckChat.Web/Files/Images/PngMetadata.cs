using System.Text;

namespace DuckChat.Web.Files.Images;

/// <summary>
/// Keeps only the PNG chunks that draw the picture (image data and palette, transparency, colour and gamma, pixel
/// size, animation) and copies them whole, so their checksums stay valid and the picture is not re-encoded. Text
/// (tEXt, zTXt, iTXt, where XMP lives too), EXIF (eXIf), the modification time (tIME) and any chunk not on the list
/// are removed, as is whatever follows IEND. A chunk running past the end of the file, or an unknown critical chunk
/// (which a decoder must refuse), makes the file broken.
/// </summary>
internal static class PngMetadata
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly HashSet<string> Kept =
    [
        "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCV", "cLLI", "bKGD",
        "hIST", "pHYs", "sPLT", "acTL", "fcTL", "fdAT",
    ];

    public static CleanedFile Strip(ByteReader reader)
    {
        if (!reader.Next(Signature))
        {
            throw new InvalidDataException("Not a PNG signature.");
        }

        var kept = new CleanedFile();
        kept.Copy(0, Signature.Length);
        Span<byte> typeBytes = stackalloc byte[4];
        for (var first = true; ; first = false)
        {
            var start = reader.Position;
            var length = reader.ReadUInt32BigEndian();
            reader.Read(typeBytes);
            if (length > int.MaxValue || !Ascii.IsValid(typeBytes) || !char.IsAsciiLetter((char)typeBytes[0]))
            {
                throw new InvalidDataException("Not a PNG chunk.");
            }

            var type = Encoding.ASCII.GetString(typeBytes);
            if (first != (type == "IHDR"))
            {
                throw new InvalidDataException("A PNG starts with its IHDR chunk, once.");
            }

            reader.Skip(length + 4L);
            if (Kept.Contains(type))
            {
                kept.Copy(start, length + 12L);
            }
            else if (char.IsAsciiLetterUpper(type[0]))
            {
                throw new InvalidDataException("An unknown critical chunk.");
            }

            if (type == "IEND")
            {
                return kept;
            }
        }
    }
}
