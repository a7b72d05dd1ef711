using System.Globalization;

namespace DuckChat.Web.Files;

/// <summary>Sizes as people read them ("1.2 MB"), in powers of 1,024 as file managers count; the composer's script writes them the same way.</summary>
public static class FileSizes
{
    private static readonly string[] Units = ["KB", "MB", "GB", "TB"];

    public static string Human(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes == 1 ? "1 byte" : $"{bytes} bytes";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // One decimal below ten ("1.2 MB"), whole numbers above ("25 MB"); a trailing ".0" is dropped.
        var rounded = value < 10 ? Math.Round(value, 1, MidpointRounding.AwayFromZero) : Math.Round(value, MidpointRounding.AwayFromZero);
        return $"{rounded.ToString("0.#", CultureInfo.InvariantCulture)} {Units[unit]}";
    }
}
