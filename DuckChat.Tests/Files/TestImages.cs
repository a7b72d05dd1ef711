using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace DuckChat.Tests.Files;

/// <summary>
/// Images for the image tests, made in code: pictures drawn and encoded with SkiaSharp, with metadata spliced in by
/// hand the way cameras and editors write it, and the formats Skia cannot write (GIF, a PNG bomb) built byte by byte.
/// </summary>
public static class TestImages
{
    public const string Secret = "secret-spot";

    /// <summary>The smallest PNG there is: one pixel, as a browser would upload a tiny image.</summary>
    public static readonly byte[] OnePixelPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A picture filled with <paramref name="background"/> whose top-left quarter is <paramref name="corner"/>.</summary>
    public static SKBitmap Picture(int width, int height, SKColor background, SKColor corner)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(background);
        using var paint = new SKPaint { Color = corner };
        canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width, int height, SKColor background, SKColor corner)
    {
        using var picture = Picture(width, height, background, corner);
        return Encode(picture, SKEncodedImageFormat.Jpeg);
    }

    /// <summary>Inserts JPEG segments right after the start-of-image marker.</summary>
    public static byte[] WithJpegSegments(byte[] jpeg, params (byte Marker, byte[] Payload)[] segments)
    {
        var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        foreach (var (marker, payload) in segments)
        {
            output.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
            output.Write(payload);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    /// <summary>An APP1 EXIF payload with an orientation and a GPS position (see <see cref="GpsLatitude"/>).</summary>
    public static byte[] Exif(ushort orientation) => [.. "Exif\0\0"u8, .. Tiff(orientation)];

    /// <summary>The latitude as the EXIF holds it (52° 31' 12.34"): three big-endian rationals, searched for in outputs.</summary>
    public static byte[] GpsLatitude { get; } = Rationals((52, 1), (31, 1), (1234, 100));

    public static byte[] GpsLongitude { get; } = Rationals((13, 1), (24, 1), (5678, 100));

    /// <summary>A TIFF structure (big-endian) with IFD0 holding the orientation and a pointer to a GPS IFD.</summary>
    public static byte[] Tiff(ushort orientation)
    {
        const int ifd0 = 8, ifd0Entries = 2, gps = ifd0 + 2 + (ifd0Entries * 12) + 4, gpsEntries = 4;
        const int latitude = gps + 2 + (gpsEntries * 12) + 4, longitude = latitude + 24;
        var tiff = new MemoryStream();
        tiff.Write("MM\0\x2A"u8);
        WriteUInt32(tiff, ifd0);
        WriteUInt16(tiff, ifd0Entries);
        Entry(tiff, 0x0112, 3, 1, (uint)orientation << 16);
        Entry(tiff, 0x8825, 4, 1, gps);
        WriteUInt32(tiff, 0);
        WriteUInt16(tiff, gpsEntries);
        Entry(tiff, 0x0001, 2, 2, (uint)'N' << 24);
        Entry(tiff, 0x0002, 5, 3, latitude);
        Entry(tiff, 0x0003, 2, 2, (uint)'E' << 24);
        Entry(tiff, 0x0004, 5, 3, longitude);
        WriteUInt32(tiff, 0);
        tiff.Write(GpsLatitude);
        tiff.Write(GpsLongitude);
        return tiff.ToArray();
    }

    public static byte[] Xmp { get; } = Encoding.UTF8.GetBytes(
        $"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:Description photoshop:City=\"{Secret}\"/></x:xmpmeta>");

    public static byte[] Png(int width, int height, SKColor background, SKColor corner)
    {
        using var picture = Picture(width, height, background, corner);
        return Encode(picture, SKEncodedImageFormat.Png);
    }

    /// <summary>Inserts PNG chunks (type, data) right after IHDR, each with its checksum.</summary>
    public static byte[] WithPngChunks(byte[] png, params (string Type, byte[] Data)[] chunks)
    {
        const int afterHeader = 8 + 8 + 13 + 4;
        var output = new MemoryStream();
        output.Write(png, 0, afterHeader);
        foreach (var (type, data) in chunks)
        {
            WritePngChunk(output, type, data);
        }

        output.Write(png, afterHeader, png.Length - afterHeader);
        return output.ToArray();
    }

    /// <summary>
    /// A valid PNG of width × height black pixels, one bit each: a few tens of kilobytes that decode to 4 bytes a
    /// pixel (20,000 × 20,000 is 1.6 GB).
    /// </summary>
    public static byte[] PngBomb(int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + ((width + 7) / 8)]; // filter type 0, then zero bits
            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth; colour type 0 (grey), compression, filter and interlace 0
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WritePngChunk(png, "IHDR", header);
        WritePngChunk(png, "IDAT", compressed.ToArray());
        WritePngChunk(png, "IEND", []);
        return png.ToArray();
    }

    public static readonly SKColor[] GifPalette = [SKColors.Red, SKColors.Lime, SKColors.Blue, SKColors.White];

    /// <summary>
    /// An endlessly looping GIF of <paramref name="frames"/> frames, each filled with one palette index, with a comment
    /// and an XMP application block holding <see cref="Secret"/>.
    /// </summary>
    public static byte[] AnimatedGif(int width, int height, params byte[] frames)
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16LittleEndian(gif, width);
        WriteUInt16LittleEndian(gif, height);
        gif.Write([0xF1, 0, 0]); // a global colour table of 4 entries
        foreach (var color in GifPalette)
        {
            gif.Write([color.Red, color.Green, color.Blue]);
        }

        gif.Write([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
        gif.Write([0x21, 0xFE]);
        WriteSubBlocks(gif, Encoding.ASCII.GetBytes($"taken at {Secret}"));
        gif.Write([0x21, 0xFF, 11, .. "XMP DataXMP"u8]);
        WriteSubBlocks(gif, Xmp);
        foreach (var index in frames)
        {
            gif.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]); // 0.1 s a frame
            gif.Write([0x2C, 0, 0, 0, 0]);
            WriteUInt16LittleEndian(gif, width);
            WriteUInt16LittleEndian(gif, height);
            gif.Write([0, 2]); // no local colour table; LZW minimum code size 2
            WriteSubBlocks(gif, UncompressedLzw(index, width * height));
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>
    /// A lossless WebP in the extended format (VP8X) with EXIF and XMP chunks, as a phone writes it.
    /// </summary>
    public static byte[] WebpWithMetadata(int width, int height, SKColor background, SKColor corner)
    {
        using var picture = Picture(width, height, background, corner);
        using var pixels = picture.PeekPixels();
        using var data = pixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!;
        var simple = data.ToArray(); // RIFF, size, WEBP, then one VP8L chunk
        var extended = new byte[10];
        extended[0] = 0x08 | 0x04; // EXIF and XMP present
        WriteUInt24LittleEndian(extended.AsSpan(4), width - 1);
        WriteUInt24LittleEndian(extended.AsSpan(7), height - 1);
        var body = new MemoryStream();
        body.Write("WEBP"u8);
        WriteRiffChunk(body, "VP8X", extended);
        body.Write(simple, 12, simple.Length - 12);
        WriteRiffChunk(body, "EXIF", Tiff(1));
        WriteRiffChunk(body, "XMP ", Xmp);
        var file = new MemoryStream();
        file.Write("RIFF"u8);
        WriteUInt32LittleEndian(file, (uint)body.Length);
        body.WriteTo(file);
        return file.ToArray();
    }

    /// <summary>The picture's pixels as 32-bit colours (for comparing two files' pictures).</summary>
    public static SKColor[] Pixels(byte[] encoded)
    {
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("Skia cannot decode this image.");
        return bitmap.Pixels;
    }

    public static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public static bool Contains(byte[] haystack, string needle) => Contains(haystack, Encoding.ASCII.GetBytes(needle));

    /// <summary>
    /// Codes of 3 bits, a clear code before every two pixels: the decoder's table never grows past 3-bit codes, so
    /// no compression logic is needed.
    /// </summary>
    private static byte[] UncompressedLzw(byte index, int pixels)
    {
        const int clear = 4, end = 5;
        var codes = new List<int>();
        for (var i = 0; i < pixels; i++)
        {
            if (i % 2 == 0)
            {
                codes.Add(clear);
            }

            codes.Add(index);
        }

        codes.Add(end);
        var bytes = new byte[((codes.Count * 3) + 7) / 8];
        for (var i = 0; i < codes.Count; i++)
        {
            for (var bit = 0; bit < 3; bit++)
            {
                if ((codes[i] & (1 << bit)) != 0)
                {
                    var at = (i * 3) + bit;
                    bytes[at / 8] |= (byte)(1 << (at % 8));
                }
            }
        }

        return bytes;
    }

    private static void WriteSubBlocks(Stream stream, byte[] data)
    {
        for (var at = 0; at < data.Length; at += 255)
        {
            var length = Math.Min(255, data.Length - at);
            stream.WriteByte((byte)length);
            stream.Write(data, at, length);
        }

        stream.WriteByte(0);
    }

    private static void WritePngChunk(Stream stream, string type, byte[] data)
    {
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        WriteUInt32(stream, (uint)data.Length);
        stream.Write(typeAndData);
        WriteUInt32(stream, Crc32(typeAndData));
    }

    private static void WriteRiffChunk(Stream stream, string fourCc, byte[] data)
    {
        stream.Write(Encoding.ASCII.GetBytes(fourCc));
        WriteUInt32LittleEndian(stream, (uint)data.Length);
        stream.Write(data);
        if (data.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static byte[] Rationals(params (uint Numerator, uint Denominator)[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 8), values[i].Numerator);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan((i * 8) + 4), values[i].Denominator);
        }

        return bytes;
    }

    private static void Entry(Stream stream, ushort tag, ushort type, uint count, uint value)
    {
        WriteUInt16(stream, tag);
        WriteUInt16(stream, type);
        WriteUInt32(stream, count);
        WriteUInt32(stream, value);
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt16LittleEndian(Stream stream, int value) => stream.Write([(byte)value, (byte)(value >> 8)]);

    private static void WriteUInt32LittleEndian(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt24LittleEndian(Span<byte> bytes, int value)
    {
        bytes[0] = (byte)value;
        bytes[1] = (byte)(value >> 8);
        bytes[2] = (byte)(value >> 16);
    }
}
