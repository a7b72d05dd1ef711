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
                [nameof(MudThemeProvider.Theme)] = new MudTheme(),
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
                [nameof(MudThemeProvider.ObserveSystemDarkModeChange)] = false,
            });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });
    }
}
