using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DuckChat.Web.Files.Images;

public enum ImageOutcome { Cleaned, TooManyPixels, Unreadable }

/// <summary>The outcome of cleaning an image, with its size as shown (upright) when it was cleaned.</summary>
public sealed record CleanedImage(ImageOutcome Outcome, int Width = 0, int Height = 0);

/// <summary>
/// Makes an uploaded image safe to keep and show (no metadata, upright) and makes its thumbnails, with SkiaSharp. An
/// image is measured from its header before anything is decoded, and one over DuckChat:Files:MaxImagePixels is
/// refused, so a small file that would decompress to gigabytes never does.
/// </summary>
public sealed class ImageProcessor(IOptions<FilesOptions> options)
{
    public const int ThumbnailSize = 480;

    private const int ReencodeQuality = 90;
    private const int ThumbnailQuality = 80;

    private static readonly Dictionary<string, (SKEncodedImageFormat Format, Func<ByteReader, CleanedFile> Strip)> Formats = new()
    {
        [FileSniffer.Jpeg] = (SKEncodedImageFormat.Jpeg, JpegMetadata.Strip),
        [FileSniffer.Png] = (SKEncodedImageFormat.Png, PngMetadata.Strip),
        [FileSniffer.Gif] = (SKEncodedImageFormat.Gif, GifMetadata.Strip),
        [FileSniffer.Webp] = (SKEncodedImageFormat.Webp, WebpMetadata.Strip),
    };

    /// <summary>
    /// Writes the image to keep and serve as the original. Its metadata segments are removed and every other byte is
    /// copied as it was, so the picture loses no quality. Only a still picture stored turned (an EXIF orientation other
    /// than "normal", which goes with the EXIF) is decoded and re-encoded upright, in its own format; an animation's
    /// orientation is dropped with its EXIF. A file whose structure is broken is <see cref="ImageOutcome.Unreadable"/>
    /// and nothing is written.
    /// </summary>
    public async Task<CleanedImage> CleanAsync(Stream input, Stream output, SniffedType type, CancellationToken cancellationToken)
    {
        if (!type.InlineImage || !Formats.TryGetValue(type.ContentType, out var format))
        {
            throw new ArgumentException("Only an inline image type can be cleaned.", nameof(type));
        }

        CleanedFile kept;
        SKSizeI upright;
        SKData? reencoded = null;
        try
        {
            using (var codec = OpenCodec(input))
            {
                if (codec is null || codec.EncodedFormat != format.Format)
                {
                    return new CleanedImage(ImageOutcome.Unreadable);
                }

                if (TooManyPixels(codec))
                {
                    return new CleanedImage(ImageOutcome.TooManyPixels);
                }

                upright = Orientation.Upright(codec.EncodedOrigin, codec.Info.Size);
                if (codec.EncodedOrigin != SKEncodedOrigin.TopLeft && codec.FrameCount <= 1)
                {
                    reencoded = ReencodeUpright(codec);
                    if (reencoded is null)
                    {
                        return new CleanedImage(ImageOutcome.Unreadable);
                    }
                }
            }

            using var reader = new ByteReader(input);
            kept = format.Strip(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            reencoded?.Dispose();
            return new CleanedImage(ImageOutcome.Unreadable);
        }

        if (reencoded is null)
        {
            await kept.WriteAsync(input, output, cancellationToken);
        }
        else
        {
            using (reencoded)
            {
                await using var encoded = reencoded.AsStream();
                await encoded.CopyToAsync(output, cancellationToken);
            }
        }

        return new CleanedImage(ImageOutcome.Cleaned, upright.Width, upright.Height);
    }

    /// <summary>
    /// Writes a WebP thumbnail of a cleaned original (its first frame): the longest side at most
    /// <see cref="ThumbnailSize"/>, proportions kept, never enlarged. A JPEG is scaled down while it is decoded.
    /// </summary>
    public async Task<bool> ThumbnailAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        SKData? thumbnail;
        using (var codec = OpenCodec(input))
        {
            if (codec is null || TooManyPixels(codec))
            {
                return false;
            }

            var upright = Orientation.Upright(codec.EncodedOrigin, codec.Info.Size);
            var scale = Math.Min(1.0, (double)ThumbnailSize / Math.Max(upright.Width, upright.Height));
            using var image = DecodeUpright(codec, scale, SKColorSpace.CreateSrgb());
            using var pixels = image?.PeekPixels();
            thumbnail = pixels?.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, ThumbnailQuality));
        }

        if (thumbnail is null)
        {
            return false;
        }

        using (thumbnail)
        {
            await using var encoded = thumbnail.AsStream();
            await encoded.CopyToAsync(output, cancellationToken);
        }

        return true;
    }

    private static SKCodec? OpenCodec(Stream input)
    {
        input.Position = 0;
        return SKCodec.Create(new SKManagedStream(input, disposeManagedStream: false));
    }

    private bool TooManyPixels(SKCodec codec) => (long)codec.Info.Width * codec.Info.Height > options.Value.MaxImagePixels;

    private static SKData? ReencodeUpright(SKCodec codec)
    {
        using var image = DecodeUpright(codec, 1, codec.Info.ColorSpace ?? SKColorSpace.CreateSrgb());
        using var pixels = image?.PeekPixels();
        return pixels is null ? null : codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => pixels.Encode(new SKJpegEncoderOptions(ReencodeQuality)),
            SKEncodedImageFormat.Webp => pixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, ReencodeQuality)),
            _ => pixels.Encode(SKPngEncoderOptions.Default),
        };
    }

    /// <summary>
    /// Decodes the first frame at <paramref name="scale"/> of its size and draws it upright. The codec decodes at the
    /// nearest size it can reach cheaply at or above the target (a JPEG at an eighth, a quarter or a half); the rest of
    /// the way is drawn with mipmaps.
    /// </summary>
    private static SKImage? DecodeUpright(SKCodec codec, double scale, SKColorSpace colorSpace)
    {
        var stored = codec.Info.Size;
        var target = new SKSizeI(Math.Max(1, (int)Math.Round(stored.Width * scale)), Math.Max(1, (int)Math.Round(stored.Height * scale)));
        var decodeSize = scale < 1 ? codec.GetScaledDimensions((float)scale) : stored;
        using var decoded = new SKBitmap(new SKImageInfo(decodeSize.Width, decodeSize.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul, colorSpace));
        if (codec.GetPixels(decoded.Info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            return null;
        }

        var upright = Orientation.Upright(codec.EncodedOrigin, target);
        using var surface = SKSurface.Create(new SKImageInfo(upright.Width, upright.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul, colorSpace));
        using var source = SKImage.FromBitmap(decoded);
        surface.Canvas.SetMatrix(Orientation.Matrix(codec.EncodedOrigin, target));
        surface.Canvas.DrawImage(source, SKRect.Create(target.Width, target.Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return surface.Snapshot();
    }
}
