using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace DuckChat.Web.Chats.Formatting;

/// <summary>
/// Rewrites a parsed message so that only web and mail links stay links. Markdig has already decoded entities and
/// escapes in each URL, so the check sees the scheme a browser would see; anything else (javascript:, data:,
/// vbscript:, relative paths) keeps its text and loses the link. Images become links to the image: a message never
/// makes a reader's browser fetch from another host.
/// </summary>
public static class SafeLinks
{
    private static readonly string[] AllowedSchemes = ["http://", "https://", "mailto:"];

    public static bool IsAllowed(string? url) =>
        url is not null
        && AllowedSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" or "mailto";

    public static void Apply(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsAllowed(link.Url))
            {
                Unwrap(link);
            }
            else if (link.IsImage)
            {
                link.IsImage = false;
                if (link.FirstChild is null)
                {
                    link.AppendChild(new LiteralInline(link.Url!));
                }
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && !IsAllowed(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
    }

    /// <summary>Puts a link's text where the link was.</summary>
    private static void Unwrap(LinkInline link)
    {
        for (var child = link.FirstChild; child is not null;)
        {
            var next = child.NextSibling;
            child.Remove();
            link.InsertBefore(child);
            child = next;
        }

        link.Remove();
    }
}
