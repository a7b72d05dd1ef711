using ColorCode;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace DuckChat.Web.Chats.Formatting;

/// <summary>
/// Writes a code block with the copy button beside it, highlighted on the server when its fence names a language
/// ColorCode knows. The fence's info string only picks the language: unlike Markdig's own renderer, it never becomes
/// a class, so nothing a person types reaches an attribute. In plain-text output the block is its lines.
/// </summary>
public sealed class HighlightedCodeBlockRenderer : HtmlObjectRenderer<CodeBlock>
{
    /// <summary>The classes ColorCode writes on its spans: the only classes the sanitizer lets through.</summary>
    public static readonly IReadOnlySet<string> HighlightClasses =
        ColorCode.Styling.StyleDictionary.DefaultLight.Select(style => style.ReferenceName).ToHashSet();

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["js"] = "javascript", ["ts"] = "typescript", ["cs"] = "c#", ["csharp"] = "c#", ["py"] = "python",
        ["c"] = "cpp", ["c++"] = "cpp", ["h"] = "cpp", ["ps1"] = "powershell", ["fsharp"] = "f#", ["fs"] = "f#",
        ["vb"] = "vb.net", ["md"] = "markdown", ["htm"] = "html", ["xaml"] = "xml", ["svg"] = "xml",
    };

    // The button is ours, not the writer's: a constant, with an icon and a name instead of text, so that a
    // message's text content is exactly what was written.
    private const string CopyButton =
        """<button type="button" class="code-copy" aria-label="Copy code" title="Copy code"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z"/></svg></button>""";

    protected override void Write(HtmlRenderer renderer, CodeBlock block)
    {
        var code = block.Lines.ToString();
        if (!renderer.EnableHtmlForBlock)
        {
            renderer.WriteLine(code);
            return;
        }

        renderer.EnsureLine();
        renderer.Write("<div class=\"code-block\">").Write(CopyButton).Write("<pre><code>");
        if (LanguageOf(block) is { } language)
        {
            renderer.Write(Highlight(code, language));
        }
        else
        {
            renderer.WriteEscape(code);
        }

        renderer.WriteLine("</code></pre></div>");
    }

    private static ILanguage? LanguageOf(CodeBlock block)
    {
        var info = (block as FencedCodeBlock)?.Info?.Trim();
        return string.IsNullOrEmpty(info) ? null : Languages.FindById(Aliases.GetValueOrDefault(info, info));
    }

    /// <summary>ColorCode's spans without its wrapper (a div and a pre of its own, with the language as a class).</summary>
    private static string Highlight(string code, ILanguage language)
    {
        var html = new HtmlClassFormatter().GetHtmlString(code, language);
        var start = html.IndexOf("<pre>", StringComparison.Ordinal);
        var end = html.LastIndexOf("</pre>", StringComparison.Ordinal);
        return start < 0 || end < start ? System.Net.WebUtility.HtmlEncode(code) : html[(start + "<pre>".Length)..end].Trim('\n');
    }
}
