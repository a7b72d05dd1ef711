using System.Reflection;
using Microsoft.Playwright;

namespace DuckChat.Bench.Harness;

/// <summary>
/// Debian's Chromium driven by Playwright. All pages of one browser share its clock, so a time taken in the
/// sender's page and one taken in a receiver's page can be subtracted.
/// </summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string ObserveScript = Script("observe.js");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BenchBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public string Version => _browser.Version;

    /// <summary>Headless Chromium with the flags the tests use, plus any given (M4 adds --renderer-process-limit).</summary>
    public static async Task<BenchBrowser> LaunchAsync(params string[] extraArguments)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", .. extraArguments,
            ],
        });
        return new BenchBrowser(playwright, browser);
    }

    /// <summary>A profile for one person on the server, with the observer in every page, signed in where the server has accounts.</summary>
    public async Task<IBrowserContext> NewPersonAsync(ServerProcess server, ServerKind kind, BenchUser user)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(ObserveScript);
        if (kind == ServerKind.DuckChat)
        {
            await SignInAsync(context, user);
        }

        return context;
    }

    /// <summary>Opens the chat in a new page of the profile and waits until a message can be sent.</summary>
    public static async Task<IPage> OpenChatAsync(IBrowserContext context, ServerKind kind, int chatId, BenchUser user)
    {
        var page = await context.NewPageAsync();
        await GoToChatAsync(page, kind, chatId, user);
        return page;
    }

    public static async Task GoToChatAsync(IPage page, ServerKind kind, int chatId, BenchUser user)
    {
        await page.GotoAsync(Servers.ChatPath(kind, chatId, user));
        await page.Locator(Servers.ReadySelector(kind)).WaitForAsync();
    }

    /// <summary>The embedded script of that name (Scripts/).</summary>
    public static string Script(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Signs in on the log-in page and lands on a plain endpoint instead of the app, so signing in opens no circuit
    /// (M4 counts circuits).
    /// </summary>
    private static async Task SignInAsync(IBrowserContext context, BenchUser user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Identity/Account/Login?ReturnUrl=%2Fhealth%2Flive");
        await page.GetByLabel("Username or email").FillAsync(user.UserName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BenchDatabase.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        // Signed in once the redirect's target is committed (the cookie came with the redirect): its load event adds
        // nothing, and a full suite once saw Chromium report network idle but never load for that page.
        await page.WaitForURLAsync("**/health/live", new() { WaitUntil = WaitUntilState.Commit });
        await page.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
