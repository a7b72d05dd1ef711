using System.Globalization;

namespace DuckChat.Web.Files;

/// <summary>Sizes as people read them: "740 KB", "1.2 MB" (the composer's script writes them the same way).</summary>
public static class FileSizes
{
    public static string Format(long bytes) => bytes switch
    {
        1 => "1 byte",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.#} GB"),
    };
}
