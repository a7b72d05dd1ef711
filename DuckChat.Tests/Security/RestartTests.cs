using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

/// <summary>The server goes away mid-conversation and comes back on the same port and database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RestartTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _dataDirectory = TestPaths.NewTempDirectory("restart");
    private readonly int _port = TestPaths.FreePort();
    private AppProcess? _app;

    private string BaseUrl => $"http://127.0.0.1:{_port}";

    [Fact]
    public async Task AppRestartsWhileTwoPeopleChat_BothPagesComeBackByThemselves_WithEveryMessageOnce()
    {
        await StartAppAsync();
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        await alice.GetByRole(AriaRole.Link, new() { NameRegex = new("^bob") }).ClickAsync();
        await bob.GetByRole(AriaRole.Link, new() { NameRegex = new("^alice") }).ClickAsync();
        await alice.MessageBox().WaitForAsync();
        await bob.MessageBox().WaitForAsync();
        await alice.SendAsync("before the restart");
        await bob.ExpectLastMessagesAsync(["before the restart"]);
        await bob.SendAsync("committed just before the stop");

        foreach (var page in new[] { alice, bob })
        {
            await page.MarkDocumentAsync();
        }

        await _app!.StopAsync();
        await StartAppAsync();

        foreach (var page in new[] { alice, bob })
        {
            // The circuits died with the process, so each page must load itself again: a new document, interactive.
            await page.WaitForReloadAsync();
            await page.ExpectLastMessagesAsync(["before the restart", "committed just before the stop"]);
        }

        await alice.SendAsync("after the restart");
        await bob.ExpectLastMessagesAsync(["before the restart", "committed just before the stop", "after the restart"]);
    }

    private async Task StartAppAsync()
    {
        _app = AppProcess.Start(TestPaths.WebBuildOutput, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseUrl,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DuckChat__Database__DataDirectory"] = _dataDirectory,
            ["DuckChat__Demo__Seed"] = "true",
        });
        await _app.WaitUntilServingAsync($"{BaseUrl}/health/ready");
    }

    private async Task<IPage> PersonAsync(string userName)
    {
        var page = await (await browser.NewContextAsync(BaseUrl)).NewPageAsync();
        await page.LogInAsync(userName, DemoSeeder.Password);
        await page.WaitForInteractiveAsync();
        return page;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        TestPaths.DeleteQuietly(_dataDirectory);
    }
}
