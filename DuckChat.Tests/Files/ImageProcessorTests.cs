using DuckChat.Web.Configuration;
using DuckChat.Web.Files;
using DuckChat.Web.Files.Images;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DuckChat.Tests.Files;

public sealed class ImageProcessorTests
{
    private const byte App1 = 0xE1, App13 = 0xED, Comment = 0xFE;

    private readonly ImageProcessor processor = new(Options.Create(new FilesOptions()));

    [Fact]
    public async Task TwentyThousandSquarePng_IsRefusedByPixelCountBeforeDecoding()
    {
        var bomb = TestImages.PngBomb(20_000, 20_000);
        Assert.True(bomb.Length < 100 * 1024, $"the bomb is {bomb.Length} bytes");
        var output = new MemoryStream();
        var peak = PeakMemory.Mark();
        // This thread's allocations only: other tests' apps may still be at work in the process. The processor runs
        // synchronously on memory streams, so all of its work is on this thread.
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();

        var result = await processor.CleanAsync(new MemoryStream(bomb), output, FileSniffer.Sniff(bomb), TestContext.Current.CancellationToken);
        var thumbnail = await processor.ThumbnailAsync(new MemoryStream(bomb), output, TestContext.Current.CancellationToken);

        Assert.Equal(new CleanedImage(ImageOutcome.TooManyPixels), result);
        Assert.False(thumbnail);
        Assert.Equal(0, output.Length);
        // Decoding would take 1.6 GB (4 bytes a pixel) of native memory; only the header was read.
        Assert.InRange(peak.GrowthBytes, 0, 64L * 1024 * 1024);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - managedBefore, 0, 4L * 1024 * 1024);
    }

    [Fact]
    public async Task PixelLimit_IsTheOption()
    {
        var png = TestImages.Png(100, 50, SKColors.Blue, SKColors.Red);
        var limited = new ImageProcessor(Options.Create(new FilesOptions { MaxImagePixels = 100 * 50 - 1 }));

        Assert.Equal(ImageOutcome.TooManyPixels, (await Clean(png, limited)).Result.Outcome);
        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 100, 50), (await Clean(png)).Result);
    }

    [Fact]
    public async Task JpegWithGpsAndOrientation6_ComesOutUprightWithoutExif()
    {
        // Stored 64 wide and 32 high with a red top-left quarter; orientation 6 shows it turned a quarter clockwise.
        var stored = TestImages.Jpeg(64, 32, SKColors.Blue, SKColors.Red);
        var upload = TestImages.WithJpegSegments(stored, (App1, TestImages.Exif(6)));
        Assert.True(TestImages.Contains(upload, TestImages.GpsLatitude));

        var (result, cleaned) = await Clean(upload);

        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 32, 64), result);
        Assert.False(TestImages.Contains(cleaned, "Exif"));
        Assert.False(TestImages.Contains(cleaned, TestImages.GpsLatitude));
        Assert.False(TestImages.Contains(cleaned, TestImages.GpsLongitude));
        using var codec = SKCodec.Create(new MemoryStream(cleaned));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        using var bitmap = SKBitmap.Decode(cleaned);
        Assert.Equal((32, 64), (bitmap.Width, bitmap.Height));
        AssertNear(SKColors.Red, bitmap.GetPixel(29, 2)); // the stored top-left corner is now top right
        AssertNear(SKColors.Blue, bitmap.GetPixel(2, 2));
        AssertNear(SKColors.Blue, bitmap.GetPixel(29, 61));
    }

    [Fact]
    public async Task UprightJpegWithMetadata_LosesEverySegmentAndKeepsThePictureByteForByte()
    {
        var original = TestImages.Jpeg(40, 30, SKColors.Blue, SKColors.Red);
        var upload = TestImages.WithJpegSegments(original,
            (App1, TestImages.Exif(1)),
            (App1, [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. TestImages.Xmp]),
            (App13, [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, .. TestImages.Xmp]),
            (Comment, System.Text.Encoding.ASCII.GetBytes(TestImages.Secret)));
        upload = [.. upload, .. "appended after the end marker: "u8, .. System.Text.Encoding.ASCII.GetBytes(TestImages.Secret)];

        var (result, cleaned) = await Clean(upload);

        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 40, 30), result);
        Assert.Equal(original, cleaned);
    }

    [Fact]
    public async Task TruncatedJpeg_IsUnreadableAndWritesNothing()
    {
        var jpeg = TestImages.Jpeg(200, 100, SKColors.Blue, SKColors.Red);
        var truncated = jpeg[..(jpeg.Length / 2)];

        var (result, cleaned) = await Clean(truncated);

        Assert.Equal(new CleanedImage(ImageOutcome.Unreadable), result);
        Assert.Empty(cleaned);
    }

    [Fact]
    public async Task PngWithTextExifAndTime_LosesThemAndDecodesToTheSamePixels()
    {
        var original = TestImages.Png(30, 20, SKColors.Blue, SKColors.Red);
        var upload = TestImages.WithPngChunks(original,
            ("tEXt", [.. "Comment\0"u8, .. System.Text.Encoding.ASCII.GetBytes(TestImages.Secret)]),
            ("iTXt", [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. TestImages.Xmp]),
            ("eXIf", TestImages.Tiff(1)),
            ("tIME", [0x07, 0xEA, 12, 4, 10, 30, 0]),
            ("prVt", System.Text.Encoding.ASCII.GetBytes(TestImages.Secret)));

        var (result, cleaned) = await Clean(upload);

        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 30, 20), result);
        Assert.False(TestImages.Contains(cleaned, TestImages.Secret));
        Assert.False(TestImages.Contains(cleaned, "tEXt"));
        Assert.False(TestImages.Contains(cleaned, "tIME"));
        Assert.False(TestImages.Contains(cleaned, TestImages.GpsLatitude));
        Assert.Equal(TestImages.Pixels(original), TestImages.Pixels(cleaned));
    }

    [Fact]
    public async Task PngWithAChunkPastTheEnd_IsUnreadable()
    {
        var png = TestImages.Png(30, 20, SKColors.Blue, SKColors.Red);

        Assert.Equal(ImageOutcome.Unreadable, (await Clean(png[..^20])).Result.Outcome);
    }

    [Fact]
    public async Task AnimatedGifWithComment_LosesCommentAndXmpAndKeepsFramesAndLoop()
    {
        var upload = TestImages.AnimatedGif(6, 4, 0, 2);
        Assert.True(TestImages.Contains(upload, TestImages.Secret));

        var (result, cleaned) = await Clean(upload);

        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 6, 4), result);
        Assert.False(TestImages.Contains(cleaned, TestImages.Secret));
        Assert.True(TestImages.Contains(cleaned, "NETSCAPE2.0"));
        using var codec = SKCodec.Create(new MemoryStream(cleaned));
        Assert.Equal(2, codec.FrameCount);
        Assert.Equal(-1, codec.RepetitionCount); // loops for ever
        Assert.Equal([SKColors.Red, SKColors.Blue], [Frame(codec, 0).GetPixel(3, 2), Frame(codec, 1).GetPixel(3, 2)]);
    }

    [Fact]
    public async Task GifWithoutTrailer_GetsOneButAGifCutInsideAFrameIsUnreadable()
    {
        var gif = TestImages.AnimatedGif(6, 4, 0, 2);

        var (result, cleaned) = await Clean(gif[..^1]);
        var cut = await Clean(gif[..^4]);

        Assert.Equal(ImageOutcome.Cleaned, result.Outcome);
        Assert.Equal(0x3B, cleaned[^1]);
        using var codec = SKCodec.Create(new MemoryStream(cleaned));
        Assert.Equal(2, codec.FrameCount);
        Assert.Equal(new CleanedImage(ImageOutcome.Unreadable), cut.Result);
    }

    [Fact]
    public async Task WebpWithExifAndXmp_LosesThemAndKeepsThePicture()
    {
        var upload = TestImages.WebpWithMetadata(16, 12, SKColors.Blue, SKColors.Red);
        Assert.True(TestImages.Contains(upload, TestImages.GpsLatitude));

        var (result, cleaned) = await Clean(upload);

        Assert.Equal(new CleanedImage(ImageOutcome.Cleaned, 16, 12), result);
        Assert.False(TestImages.Contains(cleaned, TestImages.GpsLatitude));
        Assert.False(TestImages.Contains(cleaned, TestImages.Secret));
        Assert.Equal(0, cleaned[20] & 0x0C); // the extended header no longer announces EXIF or XMP
        Assert.Equal(cleaned.Length - 8, BitConverter.ToInt32(cleaned, 4));
        Assert.Equal(TestImages.Pixels(upload), TestImages.Pixels(cleaned));
    }

    [Theory]
    [InlineData(2000, 500, 480, 120)]
    [InlineData(500, 2000, 120, 480)]
    [InlineData(100, 50, 100, 50)]
    [InlineData(481, 481, 480, 480)]
    public async Task Thumbnail_IsWebpKeepsProportionsAndNeverEnlarges(int width, int height, int thumbnailWidth, int thumbnailHeight)
    {
        var png = TestImages.Png(width, height, SKColors.Blue, SKColors.Red);
        var output = new MemoryStream();

        Assert.True(await processor.ThumbnailAsync(new MemoryStream(png), output, TestContext.Current.CancellationToken));

        var thumbnail = output.ToArray();
        Assert.Equal(new SniffedType(FileSniffer.Webp, true), FileSniffer.Sniff(thumbnail));
        using var bitmap = SKBitmap.Decode(thumbnail);
        Assert.Equal((thumbnailWidth, thumbnailHeight), (bitmap.Width, bitmap.Height));
        AssertNear(SKColors.Red, bitmap.GetPixel(2, 2));
        AssertNear(SKColors.Blue, bitmap.GetPixel(thumbnailWidth - 3, thumbnailHeight - 3));
    }

    [Fact]
    public async Task ThumbnailOfALargeJpeg_IsScaledDownWhileDecoding()
    {
        const int width = 6000, height = 4000; // 96 MB decoded at full size
        var jpeg = TestImages.Jpeg(width, height, SKColors.Blue, SKColors.Red);
        var output = new MemoryStream();
        var peak = PeakMemory.Mark();

        Assert.True(await processor.ThumbnailAsync(new MemoryStream(jpeg), output, TestContext.Current.CancellationToken));

        Assert.InRange(peak.GrowthBytes, 0, 32L * 1024 * 1024);
        using var bitmap = SKBitmap.Decode(output.ToArray());
        Assert.Equal((480, 320), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task ThumbnailOfAnAnimation_IsItsFirstFrame()
    {
        var output = new MemoryStream();

        Assert.True(await processor.ThumbnailAsync(new MemoryStream(TestImages.AnimatedGif(6, 4, 1, 2)), output, TestContext.Current.CancellationToken));

        using var bitmap = SKBitmap.Decode(output.ToArray());
        AssertNear(SKColors.Lime, bitmap.GetPixel(3, 2));
    }

    [Fact]
    public async Task ThumbnailOfSomethingElse_IsRefused()
    {
        var output = new MemoryStream();

        Assert.False(await processor.ThumbnailAsync(new MemoryStream("<svg/>"u8.ToArray()), output, TestContext.Current.CancellationToken));
        Assert.Equal(0, output.Length);
    }

    private async Task<(CleanedImage Result, byte[] Cleaned)> Clean(byte[] upload, ImageProcessor? with = null)
    {
        var output = new MemoryStream();
        var result = await (with ?? processor).CleanAsync(new MemoryStream(upload), output, FileSniffer.Sniff(upload), TestContext.Current.CancellationToken);
        return (result, output.ToArray());
    }

    private static SKBitmap Frame(SKCodec codec, int index)
    {
        var bitmap = new SKBitmap(codec.Info.WithColorType(SKImageInfo.PlatformColorType).WithAlphaType(SKAlphaType.Premul));
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(bitmap.Info, bitmap.GetPixels(), new SKCodecOptions(index)));
        return bitmap;
    }

    private static void AssertNear(SKColor expected, SKColor actual)
    {
        Assert.True(Math.Abs(expected.Red - actual.Red) < 24 && Math.Abs(expected.Green - actual.Green) < 24 && Math.Abs(expected.Blue - actual.Blue) < 24,
            $"expected about {expected}, got {actual}");
    }
}
