namespace DuckChat.Web.Files.Images;

/// <summary>
/// Removes a JPEG's metadata segments and copies everything else byte for byte, so the picture is not re-encoded.
/// Kept: the segments that decode the picture (tables, frame, scans, restart interval), APP0 "JFIF" without its
/// embedded thumbnail, APP2 "ICC_PROFILE" (colours) and APP14 "Adobe" (how CMYK is stored). Removed: every other
/// APPn segment (EXIF with GPS and its thumbnail, XMP, IPTC, MPF, maker data), comments, and whatever follows the
/// end marker (some cameras append a video or a second picture there). A file that ends before its end marker, or
/// whose markers do not follow the format, is broken.
/// </summary>
internal static class JpegMetadata
{
    private const byte StartOfImage = 0xD8, EndOfImage = 0xD9, StartOfScan = 0xDA, Comment = 0xFE;
    private const byte App0 = 0xE0, App2 = 0xE2, App14 = 0xEE, App15 = 0xEF;
    private const int JfifHeaderLength = 12; // "JFIF\0", version, units, densities; the thumbnail size follows

    public static CleanedFile Strip(ByteReader reader)
    {
        if (reader.ReadByte() != 0xFF || reader.ReadByte() != StartOfImage)
        {
            throw new InvalidDataException("A JPEG starts with its start-of-image marker.");
        }

        var kept = new CleanedFile();
        kept.Copy(0, 2);
        var sawScan = false;
        var marker = NextMarker(reader);
        while (marker != EndOfImage)
        {
            var start = reader.Position - 2;
            if (marker is StartOfImage || marker is >= 0xD0 and <= 0xD7)
            {
                throw new InvalidDataException("A marker that cannot stand here.");
            }

            var length = reader.ReadUInt16BigEndian() - 2;
            if (length < 0)
            {
                throw new InvalidDataException("A segment shorter than its length field.");
            }

            var payload = new byte[Math.Min(length, 16)];
            reader.Read(payload);
            reader.Skip(length - payload.Length);
            Keep(kept, marker, start, length, payload);
            if (marker == StartOfScan)
            {
                sawScan = true;
                marker = SkipEntropyCodedData(reader, kept);
            }
            else
            {
                marker = NextMarker(reader);
            }
        }

        if (!sawScan)
        {
            throw new InvalidDataException("A JPEG without a scan holds no picture.");
        }

        kept.Add([0xFF, EndOfImage]);
        return kept;
    }

    private static void Keep(CleanedFile kept, byte marker, long start, int length, byte[] payload)
    {
        if (marker == App0 && length >= JfifHeaderLength + 2 && payload.AsSpan().StartsWith("JFIF\0"u8))
        {
            kept.Add([0xFF, App0, 0, JfifHeaderLength + 4, .. payload.AsSpan(0, JfifHeaderLength), 0, 0]);
        }
        else if (!IsMetadata(marker, payload))
        {
            kept.Copy(start, 4 + length);
        }
    }

    private static bool IsMetadata(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        Comment => true,
        App2 => !payload.StartsWith("ICC_PROFILE\0"u8),
        App14 => !payload.StartsWith("Adobe"u8),
        >= App0 and <= App15 => true,
        _ => false,
    };

    private static byte NextMarker(ByteReader reader)
    {
        if (reader.ReadByte() != 0xFF)
        {
            throw new InvalidDataException("A segment is not followed by a marker.");
        }

        return MarkerAfterFill(reader);
    }

    private static byte MarkerAfterFill(ByteReader reader)
    {
        var marker = reader.ReadByte();
        while (marker == 0xFF)
        {
            marker = reader.ReadByte();
        }

        return marker == 0 ? throw new InvalidDataException("Not a marker.") : marker;
    }

    /// <summary>Copies a scan's coded data (where 0xFF is followed by a stuffed 0 or a restart marker) and returns the marker that ends it.</summary>
    private static byte SkipEntropyCodedData(ByteReader reader, CleanedFile kept)
    {
        var start = reader.Position;
        while (true)
        {
            if (reader.ReadByte() != 0xFF)
            {
                continue;
            }

            var end = reader.Position - 1;
            var next = reader.ReadByte();
            while (next == 0xFF)
            {
                next = reader.ReadByte();
            }

            if (next is 0 or >= 0xD0 and <= 0xD7)
            {
                continue;
            }

            kept.Copy(start, end - start);
            return next;
        }
    }
}
