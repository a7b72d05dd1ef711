using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Chats;

/// <summary>
/// The short syntax help beside the composer: a button and a native popover (the browser opens, closes and dismisses
/// it with Escape), constant markup that costs one render frame and no component.
/// </summary>
public static class FormattingHelp
{
    public const string Id = "formatting-help";

    private static readonly (string Write, string Get)[] Examples =
    [
        ("**bold**", "<strong>bold</strong>"),
        ("*italic*", "<em>italic</em>"),
        ("~~strike~~", "<del>strike</del>"),
        ("`code`", "<code>code</code>"),
        ("```js (new line) code (new line) ```", "a highlighted code block"),
        ("> quote", "a quote"),
        ("- item", "a list"),
        ("[text](https://…)", "a link"),
    ];

    public static readonly MarkupString Markup = new(
        $"""<button type="button" class="formatting-help-button" aria-label="Formatting help" title="Formatting help" popovertarget="{Id}"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">{MudBlazor.Icons.Material.Filled.HelpOutline}</svg></button>"""
        + $"""<div id="{Id}" class="formatting-help" popover role="dialog" aria-label="Formatting help"><table><caption>Messages use Markdown. A single new line is a line break.</caption><thead><tr><th scope="col">Write</th><th scope="col">Get</th></tr></thead><tbody>"""
        + string.Concat(Examples.Select(e => $"<tr><td><code>{System.Net.WebUtility.HtmlEncode(e.Write)}</code></td><td>{e.Get}</td></tr>"))
        + "</tbody></table></div>");
}
