using System.Buffers;
using System.Text;

namespace DuckChat.Web.Files;

/// <summary>What a file's bytes say it is: the content type it is served with, and whether it may show inline as an image.</summary>
public sealed record SniffedType(string ContentType, bool InlineImage);

/// <summary>
/// Names a file's type from its first bytes only, never from its name or the type the browser sent, so a ".png" that
/// holds HTML is HTML. Only PNG, JPEG, GIF and WebP are inline images; markup (HTML, SVG, XML) is recognised so that it
/// is never mistaken for plain text, following the patterns of the WHATWG MIME sniffing standard.
/// </summary>
public static class FileSniffer
{
    /// <summary>Bytes the sniffer needs from the start of the file (fewer when the file is shorter).</summary>
    public const int HeadLength = 512;

    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";
    public const string Html = "text/html";
    public const string Svg = "image/svg+xml";
    public const string Xml = "application/xml";
    public const string Text = "text/plain; charset=utf-8";
    public const string Binary = "application/octet-stream";

    private static readonly (byte[] Magic, string Type, bool Inline)[] Signatures =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], Png, true),
        ([0xFF, 0xD8, 0xFF], Jpeg, true),
        ("GIF87a"u8.ToArray(), Gif, true),
        ("GIF89a"u8.ToArray(), Gif, true),
        ("%PDF-"u8.ToArray(), "application/pdf", false),
        ([(byte)'P', (byte)'K', 0x03, 0x04], "application/zip", false),
        ([0x1F, 0x8B, 0x08], "application/gzip", false),
    ];

    // The WHATWG "text/html" patterns: each matches case-insensitively and must be followed by a space or '>'.
    private static readonly byte[][] HtmlTags =
    [
        .. new[] { "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
            "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--" }.Select(Encoding.ASCII.GetBytes),
    ];

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create([0x09, 0x0A, 0x0C, 0x0D, 0x20]);

    // Bytes that never occur in text (the standard's "binary data bytes"): NUL and the control characters no text uses.
    private static readonly SearchValues<byte> BinaryBytes = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1C, 0x1D, 0x1E, 0x1F]);

    public static SniffedType Sniff(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, type, inline) in Signatures)
        {
            if (head.StartsWith(magic))
            {
                return new SniffedType(type, inline);
            }
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return new SniffedType(Webp, true);
        }

        return new SniffedType(MarkupType(head) ?? (IsText(head) ? Text : Binary), false);
    }

    private static string? MarkupType(ReadOnlySpan<byte> head)
    {
        var text = head.StartsWith(Utf8Bom) ? head[Utf8Bom.Length..] : head;
        var start = text.IndexOfAnyExcept(Whitespace);
        if (start < 0)
        {
            return null;
        }

        text = text[start..];
        if (StartsWithIgnoreCase(text, "<svg"u8))
        {
            return Svg;
        }

        if (StartsWithIgnoreCase(text, "<?xml"u8) || (StartsWithIgnoreCase(text, "<!DOCTYPE"u8) && !IsHtmlTag(text)))
        {
            // An SVG usually opens with an XML declaration or a doctype; its root element follows within the head.
            return ContainsIgnoreCase(text, "<svg"u8) ? Svg : Xml;
        }

        return IsHtmlTag(text) ? Html : null;
    }

    private static bool IsHtmlTag(ReadOnlySpan<byte> text)
    {
        foreach (var tag in HtmlTags)
        {
            if (text.Length > tag.Length && StartsWithIgnoreCase(text, tag) && text[tag.Length] is (byte)' ' or (byte)'>')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsText(ReadOnlySpan<byte> head)
    {
        if (head.ContainsAny(BinaryBytes))
        {
            return false;
        }

        // A full head may end in the middle of a character that the rest of the file completes.
        var mayBeCut = head.Length >= HeadLength;
        for (var rest = head; !rest.IsEmpty;)
        {
            var status = Rune.DecodeFromUtf8(rest, out _, out var consumed);
            if (status != OperationStatus.Done)
            {
                return status == OperationStatus.NeedMoreData && mayBeCut;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) =>
        text.Length >= prefix.Length && Ascii.EqualsIgnoreCase(text[..prefix.Length], prefix);

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i + value.Length <= text.Length; i++)
        {
            if (StartsWithIgnoreCase(text[i..], value))
            {
                return true;
            }
        }

        return false;
    }
}
