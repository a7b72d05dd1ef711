using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class LogPrivacyTests(BrowserFixture browser, LogCapturingAppFactory app) : IClassFixture<LogCapturingAppFactory>
{
    [Fact]
    public async Task MessagesPasswordsAndCookies_NeverReachTheLogs()
    {
        const string marker = "SECRET-MARKER-7f3c2b";
        await app.CreateUserAsync("log-alice");
        await app.CreateUserAsync("log-bob");
        var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("log-alice", "Wrong-" + marker); // a failed log-in with a marked password
        await page.LogInAsync("log-alice");
        await page.OpenAsync("/dm/log-bob");

        await page.SendAsync($"the {marker} text");
        await page.GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync($"edited {marker}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.ExpectLastMessagesAsync([$"edited {marker}"]);
        var cookies = await context.CookiesAsync();

        var logs = app.Logs.Lines;
        Assert.Contains(logs, line => line.Contains("logged in", StringComparison.Ordinal)); // the capture sees the app's logs
        Assert.DoesNotContain(logs, line => line.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, line => line.Contains(DuckChatAppFactory.Password, StringComparison.Ordinal));
        Assert.All(cookies.Where(c => c.Value.Length > 20), cookie =>
            Assert.DoesNotContain(logs, line => line.Contains(cookie.Value, StringComparison.Ordinal)));
    }
}
