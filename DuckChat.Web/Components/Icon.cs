using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Components;

/// <summary>
/// An icon as constant markup: an inline SVG (a MudBlazor icon's path data) drawn by our own <c>.icon</c> style. Where
/// an icon only draws, in markup every tab has, constant markup costs no component.
/// </summary>
public static class Icon
{
    public static MarkupString Svg(string pathData) =>
        new($"""<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{pathData}</svg>""");
}
