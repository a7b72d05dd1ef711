namespace DuckChat.Web.Files.Images;

/// <summary>
/// Keeps a GIF's pictures and animation and copies them byte for byte: the screen descriptor and colour tables, every
/// frame, the frame timing (graphic control) and the loop count (the NETSCAPE2.0 or ANIMEXTS1.0 application block).
/// Comments, plain-text blocks and every other application block (XMP among them) are removed, as is whatever follows
/// the trailer. A file that ends inside a block, or whose blocks do not follow the format, is broken.
/// </summary>
internal static class GifMetadata
{
    private const byte Extension = 0x21, ImageDescriptor = 0x2C, Trailer = 0x3B;
    private const byte GraphicControl = 0xF9, Application = 0xFF;
    private const int HeaderLength = 13; // "GIF89a", the logical screen descriptor

    public static CleanedFile Strip(ByteReader reader)
    {
        Span<byte> version = stackalloc byte[6];
        reader.Read(version);
        if (!version.SequenceEqual("GIF87a"u8) && !version.SequenceEqual("GIF89a"u8))
        {
            throw new InvalidDataException("Not a GIF header.");
        }

        reader.Skip(4);
        var flags = reader.ReadByte();
        reader.Skip(2);
        var kept = new CleanedFile();
        kept.Copy(0, HeaderLength + ColorTableLength(flags));
        reader.Skip(ColorTableLength(flags));
        var frames = 0;
        while (true)
        {
            if (reader.Remaining == 0 && frames > 0)
            {
                // Some encoders leave out the trailer after the last whole block; browsers show such a GIF, so it is added.
                kept.Add([Trailer]);
                return kept;
            }

            var start = reader.Position;
            switch (reader.ReadByte())
            {
                case Extension:
                    var label = reader.ReadByte();
                    var keep = label == GraphicControl || (label == Application && IsLoopBlock(reader));
                    SkipSubBlocks(reader);
                    if (keep)
                    {
                        kept.Copy(start, reader.Position - start);
                    }

                    break;
                case ImageDescriptor:
                    reader.Skip(8);
                    reader.Skip(ColorTableLength(reader.ReadByte()) + 1); // the local colour table, the LZW code size
                    SkipSubBlocks(reader);
                    kept.Copy(start, reader.Position - start);
                    frames++;
                    break;
                case Trailer when frames > 0:
                    kept.Copy(start, 1);
                    return kept;
                default:
                    throw new InvalidDataException("Not a GIF block.");
            }
        }
    }

    private static int ColorTableLength(byte flags) => (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);

    /// <summary>Reads an application block's identifier, leaving the reader at its first data sub-block.</summary>
    private static bool IsLoopBlock(ByteReader reader)
    {
        var length = reader.ReadByte();
        if (length != 11)
        {
            reader.Skip(length);
            return false;
        }

        Span<byte> identifier = stackalloc byte[11];
        reader.Read(identifier);
        return identifier.SequenceEqual("NETSCAPE2.0"u8) || identifier.SequenceEqual("ANIMEXTS1.0"u8);
    }

    private static void SkipSubBlocks(ByteReader reader)
    {
        for (var length = reader.ReadByte(); length != 0; length = reader.ReadByte())
        {
            reader.Skip(length);
        }
    }
}
