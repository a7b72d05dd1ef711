using System.Globalization;
using System.Net;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;
using DuckChat.Web.Chats.Mentions;
using Microsoft.Extensions.Caching.Memory;

namespace DuckChat.Web.Chats.Formatting;

/// <summary>
/// Turns what a person wrote (CommonMark with GitHub's strikethrough, autolinks and fenced code) into what a row shows,
/// and into plain text for previews and excerpts. One per process: every tab showing a message shares the one string
/// made for it, and a message is parsed and sanitised once however many tabs render it.
/// <para>Safety comes in layers: raw HTML is not parsed as HTML (it shows as text); <see cref="SafeLinks"/> keeps only
/// web and mail links; the code renderer never copies the fence's words into an attribute; and the result passes an
/// allowlist sanitiser (HtmlSanitizer) before it becomes a <see cref="MarkupString"/>, so a bug in any earlier layer
/// still cannot put script, styles or foreign attributes on the page.</para>
/// </summary>
public sealed class MessageFormatter
{
    /// <summary>
    /// Longer texts are shown as plain text: some unclosed constructs make Markdown parsing quadratic, and a message
    /// this long is a paste, not prose. Messages are shorter than this unless an operator raises the limit.
    /// </summary>
    public const int MaxFormattedLength = 10_000;

    private const string LinkRel = "noopener noreferrer nofollow";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .DisableHtml()
        .Use(new MentionsExtension())
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    // Sized in characters of the cached strings; what falls out is made again when next shown.
    private readonly MemoryCache _html = new(new MemoryCacheOptions { SizeLimit = 4_000_000 });
    private readonly MemoryCache _plain = new(new MemoryCacheOptions { SizeLimit = 1_000_000 });

    /// <summary>The message as sanitised HTML, ready to render, with its <paramref name="mentions"/> highlighted.</summary>
    public MarkupString Html(string markdown, IReadOnlyList<Mention>? mentions = null)
    {
        mentions ??= [];
        // The same text with other mentions (another person now has the name) is another rendering.
        var key = mentions.Count == 0 ? markdown : markdown + "\u0000" + string.Join("\u0000", mentions.Select(m => $"{m.UserId}:{m.Name}"));
        return new(_html.GetOrCreate(key, entry =>
        {
            var html = _sanitizer.Sanitize(RenderHtml(markdown, mentions));
            entry.Size = html.Length + key.Length;
            return html;
        })!);
    }

    /// <summary>The names the text mentions with <c>@name</c> outside code, each once, as written.</summary>
    public IReadOnlyList<string> MentionedNames(string markdown)
    {
        if (!markdown.Contains('@') || markdown.Length > MaxFormattedLength)
        {
            return [];
        }

        try
        {
            return Markdown.Parse(markdown, Pipeline).Descendants<MentionInline>().Select(m => m.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
        catch (ArgumentException)
        {
            return []; // too deeply nested to format: shown as plain text, so it mentions nobody
        }
    }

    /// <summary>What the message says without its Markdown: the text a reader sees, with its line breaks.</summary>
    public string PlainText(string markdown) =>
        _plain.GetOrCreate(markdown, entry =>
        {
            var text = RenderPlainText(markdown);
            entry.Size = text.Length + markdown.Length;
            return text;
        })!;

    /// <summary>
    /// The start of the message's plain text on one line: for lists, quotes and notifications. A message without text
    /// was sent for its files (a send needs one or the other), and says so.
    /// </summary>
    public string Excerpt(string markdown, int maxLength) => string.IsNullOrWhiteSpace(markdown) ? FilesOnly : OneLine(PlainText(markdown), maxLength);

    /// <summary>The excerpt of a message that has files and no text.</summary>
    public const string FilesOnly = "📎 File";

    /// <summary>The text with each run of white space as one space, cut at a whole character (an emoji stays whole) with an ellipsis.</summary>
    public static string OneLine(string text, int maxLength)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (line.Length <= maxLength)
        {
            return line;
        }

        var cut = 0;
        for (var elements = StringInfo.GetTextElementEnumerator(line); elements.MoveNext();)
        {
            var end = elements.ElementIndex + elements.GetTextElement().Length;
            if (end >= maxLength)
            {
                break;
            }

            cut = end;
        }

        return line[..cut].TrimEnd() + "…";
    }

    /// <summary>
    /// The plain text, then on a line of its own each link address that the text does not show (a link written as
    /// <c>[docs](https://…)</c>), so that a part of an address finds the message. Not cached: made once per write.
    /// </summary>
    public static string SearchableText(string markdown) =>
        Format(markdown, PlainRenderer, [], AppendHiddenLinks) ?? markdown;

    private static string RenderHtml(string markdown, IReadOnlyList<Mention> mentions) =>
        Format(markdown, writer => new HtmlRenderer(writer), mentions) ?? AsParagraph(markdown);

    private static string RenderPlainText(string markdown) => Format(markdown, PlainRenderer, []) ?? markdown;

    private static HtmlRenderer PlainRenderer(StringWriter writer) =>
        new(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };

    private static void AppendHiddenLinks(MarkdownDocument document, StringWriter writer)
    {
        var text = writer.GetStringBuilder();
        var urls = document.Descendants<LinkInline>().Select(link => link.Url)
            .Concat(document.Descendants<AutolinkInline>().Select(link => link.Url));
        foreach (var url in urls.OfType<string>().Where(url => url.Length > 0))
        {
            if (!text.ToString().Contains(url, StringComparison.Ordinal))
            {
                text.Append(text.Length > 0 && text[^1] != '\n' ? "\n" : "").Append(url).Append('\n');
            }
        }
    }

    /// <summary>
    /// The text rendered with only safe links, or null when it is too long or too deeply nested to format: Markdig
    /// refuses to parse or render input nested deeper than it will recurse (quotes in quotes, emphasis in emphasis).
    /// </summary>
    private static string? Format(string markdown, Func<StringWriter, HtmlRenderer> createRenderer, IReadOnlyList<Mention> mentions,
        Action<MarkdownDocument, StringWriter>? append = null)
    {
        if (markdown.Length > MaxFormattedLength)
        {
            return null;
        }

        try
        {
            var document = Markdown.Parse(markdown, Pipeline);
            SafeLinks.Apply(document);
            var writer = new StringWriter();
            Render(createRenderer(writer), document, mentions);
            append?.Invoke(document, writer);
            return writer.ToString().TrimEnd('\n');
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void Render(HtmlRenderer renderer, MarkdownDocument document, IReadOnlyList<Mention> mentions)
    {
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new HighlightedCodeBlockRenderer());
        renderer.ObjectRenderers.Add(new MentionRenderer(mentions));
        renderer.Render(document);
    }

    /// <summary>Unformatted text as HTML: every character escaped, every line break kept.</summary>
    private static string AsParagraph(string text)
    {
        var html = new StringBuilder("<p>");
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            html.Append(i > 0 ? "<br>\n" : "").Append(WebUtility.HtmlEncode(lines[i]));
        }

        return html.Append("</p>").ToString();
    }

    /// <summary>Parses <c>@name</c>; each rendering adds its own <see cref="MentionRenderer"/> with the message's mentions.</summary>
    private sealed class MentionsExtension : IMarkdownExtension
    {
        public void Setup(MarkdownPipelineBuilder pipeline) => pipeline.InlineParsers.AddIfNotAlready<MentionParser>();

        public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
        {
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
                "h1", "h2", "h3", "h4", "h5", "h6", "span", "div", "button", "svg", "path",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "start", "class", "type", "aria-label", "aria-hidden", "title", "viewbox", "focusable", "d", "data-user",
            },
            AllowedClasses = new HashSet<string>(HighlightedCodeBlockRenderer.HighlightClasses) { "code-block", "code-copy", "mention", "mention-all" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options);
        // Every link opens in a new tab and tells the other site nothing: set here, after the allowlist, so no
        // earlier step can leave a link without it.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("target", "_blank");
                anchor.SetAttribute("rel", LinkRel);
            }
        };
        return sanitizer;
    }
}
