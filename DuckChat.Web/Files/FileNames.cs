using System.Globalization;
using System.Text;

namespace DuckChat.Web.Files;

/// <summary>
/// Makes the name a browser sent safe to show and to offer for download: the last path segment only, no control or
/// formatting characters (so no right-to-left override can disguise "exe.png" as "gnp.exe"), nothing Windows refuses
/// in a file name, and at most <see cref="ChatFile.NameMaxLength"/> characters with the extension kept.
/// </summary>
public static class FileNames
{
    public const string Fallback = "file";

    private const int MaxExtensionLength = 16;

    public static string Sanitize(string? name)
    {
        var last = (name ?? "").Normalize(NormalizationForm.FormC).Split('/', '\\')[^1];
        var kept = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            // Tabs and line breaks are control characters too, but they separate words: each run of white space is one space.
            if (Rune.IsWhiteSpace(rune))
            {
                if (kept.Length > 0 && kept[^1] != ' ')
                {
                    kept.Append(' ');
                }

                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*')
            {
                continue;
            }

            kept.Append(rune.ToString());
        }

        var safe = kept.ToString().Trim(' ', '.');
        return safe.Length == 0 ? Fallback : Shorten(safe);
    }

    /// <summary>The extension, lower case with its dot ("" when there is none): what DuckChat:Files:AllowedExtensions is checked against.</summary>
    public static string ExtensionOf(string sanitizedName)
    {
        var extension = Path.GetExtension(sanitizedName);
        return extension.Length is > 1 and <= MaxExtensionLength ? extension.ToLowerInvariant() : "";
    }

    private static string Shorten(string name)
    {
        if (name.Length <= ChatFile.NameMaxLength)
        {
            return name;
        }

        var extension = ExtensionOf(name);
        var stem = name[..^extension.Length];
        var cut = ChatFile.NameMaxLength - extension.Length;
        // Never cut a character in half.
        if (char.IsHighSurrogate(stem[cut - 1]))
        {
            cut--;
        }

        return stem[..cut].TrimEnd(' ', '.') + extension;
    }
}
