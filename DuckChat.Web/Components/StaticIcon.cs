using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Components;

/// <summary>
/// A MudBlazor icon as the markup MudIcon renders for it, built once: a component in the layout of every tab costs
/// every circuit its render trees, so where an icon only draws, constant markup draws the same for nothing.
/// </summary>
public static class StaticIcon
{
    public static MarkupString Medium(string icon) => Svg(icon, "medium");

    public static MarkupString Small(string icon) => Svg(icon, "small");

    private static MarkupString Svg(string icon, string size) =>
        new($"""<svg class="mud-icon-root mud-svg-icon mud-icon-size-{size}" focusable="false" viewBox="0 0 24 24" aria-hidden="true" role="img">{icon}</svg>""");
}
