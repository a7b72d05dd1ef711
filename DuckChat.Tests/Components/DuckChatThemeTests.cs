using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DuckChat.Tests.Components;

public sealed class DuckChatThemeTests : MudTestContext
{
    public DuckChatThemeTests() => Services.AddSingleton<ThemeStyleSheets>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StyleSheet_IsWhatMudThemeProviderRenders(bool dark)
    {
        var mud = Render<MudThemeProvider>(p => p.Add(t => t.Theme, ThemeStyleSheets.Theme).Add(t => t.IsDarkMode, dark).Add(t => t.ObserveSystemDarkModeChange, false));

        var ours = Render<DuckChatTheme>(p => p.Add(t => t.IsDarkMode, dark));

        Assert.Contains("--mud-palette-primary", ours.Markup);
        Assert.Equal(mud.Markup, ours.Markup);
    }

    [Fact]
    public void SwitchingMode_SwitchesTheStyleSheet()
    {
        var light = Render<MudThemeProvider>(p => p.Add(t => t.Theme, ThemeStyleSheets.Theme).Add(t => t.IsDarkMode, false)).Markup;
        var dark = Render<MudThemeProvider>(p => p.Add(t => t.Theme, ThemeStyleSheets.Theme).Add(t => t.IsDarkMode, true)).Markup;
        var ours = Render<DuckChatTheme>(p => p.Add(t => t.IsDarkMode, false));
        Assert.NotEqual(light, dark);

        ours.Render(p => p.Add(t => t.IsDarkMode, true));
        Assert.Equal(dark, ours.Markup);
        ours.Render(p => p.Add(t => t.IsDarkMode, false));
        Assert.Equal(light, ours.Markup);
    }
}
