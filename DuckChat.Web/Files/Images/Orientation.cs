using SkiaSharp;

namespace DuckChat.Web.Files.Images;

/// <summary>Turns a picture stored in one of EXIF's eight orientations upright, as a viewer that honours the tag shows it.</summary>
internal static class Orientation
{
    /// <summary>Whether width and height trade places when the picture is turned upright (the 90° and 270° orientations).</summary>
    public static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    public static SKSizeI Upright(SKEncodedOrigin origin, SKSizeI stored) =>
        SwapsSides(origin) ? new SKSizeI(stored.Height, stored.Width) : stored;

    /// <summary>Maps a point of the stored picture (of the given size) to where it shows upright.</summary>
    public static SKMatrix Matrix(SKEncodedOrigin origin, SKSizeI stored)
    {
        float w = stored.Width, h = stored.Height;
        return origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
    }
}
