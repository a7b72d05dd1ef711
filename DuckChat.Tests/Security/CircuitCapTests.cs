using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class CircuitCapTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Security:MaxCircuitsPerUser"] = "2",
    });

    [Fact]
    public async Task OneTabTooMany_IsToldSo_TheOthersWork()
    {
        await _app.CreateUserAsync("thr-tabs");
        var context = await browser.NewContextAsync(_app);
        var first = await context.NewPageAsync();
        await first.LogInAsync("thr-tabs");
        await first.WaitForInteractiveAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitForInteractiveAsync();

        var third = await context.NewPageAsync();
        await third.GotoAsync("/");

        await Assertions.Expect(third.GetByRole(AriaRole.Heading, new() { Name = "Too many open tabs" })).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Hello, thr-tabs" })).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Hello, thr-tabs" })).ToBeVisibleAsync();
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
