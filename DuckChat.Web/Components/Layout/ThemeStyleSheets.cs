using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace DuckChat.Web.Components.Layout;

/// <summary>
/// The app's theme as MudThemeProvider renders it (its ~32,000-character style sheet), rendered once per mode for
/// the whole server. MudThemeProvider itself builds the sheet for every circuit and keeps it in that circuit's
/// render tree: about 64 KB of server memory per open tab.
/// </summary>
public sealed class ThemeStyleSheets(IServiceProvider services, ILoggerFactory loggers)
{
    /// <summary>
    /// MudBlazor's default theme with a dense app bar (more room for the chat) and text that reads well enough (WCAG AA,
    /// 4.5:1) on every background it is drawn on: secondary text a little darker (lighter in dark mode), and in dark
    /// mode a lighter primary colour with dark text on it, since the default one is too dark to read on the dark drawer
    /// and too light for white text.
    /// </summary>
    public static MudTheme Theme { get; } = new()
    {
        LayoutProperties = new LayoutProperties { AppbarHeight = "48px" },
        PaletteLight = new PaletteLight { TextSecondary = "rgba(0,0,0,0.62)" },
        PaletteDark = new PaletteDark
        {
            Primary = "#a59dfb", PrimaryContrastText = "rgba(0,0,0,0.87)", TextSecondary = "rgba(255,255,255,0.65)",
        },
    };

    private readonly Lazy<Task<string>> _light = new(() => RenderAsync(services, loggers, dark: false));
    private readonly Lazy<Task<string>> _dark = new(() => RenderAsync(services, loggers, dark: true));

    public Task<string> ForAsync(bool dark) => (dark ? _dark : _light).Value;

    private static async Task<string> RenderAsync(IServiceProvider services, ILoggerFactory loggers, bool dark)
    {
        // Static rendering runs no OnAfterRender, so the provider makes no JS calls here.
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
                [nameof(MudThemeProvider.ObserveSystemDarkModeChange)] = false,
            });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });
    }
}
