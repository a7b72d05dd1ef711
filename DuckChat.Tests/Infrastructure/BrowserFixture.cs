using Microsoft.Playwright;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// One Debian Chromium for the whole run (headless, with the flags below); each test opens isolated contexts,
/// one per person. Browser tests sit in the serial "Browser" collection.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private object? _contextsOwner;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No sandbox: CI runs as root, where Chromium refuses its sandbox. No GPU, QUIC or background work: there
            // is no display, and nothing but the app under test should be reached.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh, isolated browser profile (cookies, storage): one person.</summary>
    public Task<IBrowserContext> NewContextAsync(DuckChatAppFactory app, BrowserNewContextOptions? options = null) =>
        NewContextAsync(app.BaseAddress.ToString(), options);

    /// <summary>
    /// Two people (<paramref name="prefix"/>-alice and -bob), each signed in in a browser of their own with their direct
    /// chat open; Bob's socket can be cut.
    /// </summary>
    public async Task<TwoInAChat> TwoPeopleInAChatAsync(DuckChatAppFactory app, string prefix)
    {
        var aliceUser = await app.CreateUserAsync($"{prefix}-alice");
        var bobUser = await app.CreateUserAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var alice = await (await NewContextAsync(app)).NewPageAsync();
        var bob = await (await NewContextAsync(app)).NewPageAsync();
        var bobConnection = await BlazorConnection.InstallAsync(bob);
        await alice.LogInAsync(aliceUser.UserName!);
        await bob.LogInAsync(bobUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        await bob.OpenAsync($"/chats/{chatId}");
        return new(alice, bob, bobConnection, chatId);
    }

    /// <summary>A fresh profile for an app served at <paramref name="baseUrl"/> (e.g. one run as its own process).</summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl, BrowserNewContextOptions? options = null)
    {
        TestPaths.RequireTool(_browser is not null, "Debian's Chromium (apt-get install -y chromium)");
        await CloseContextsOfEarlierTestsAsync();
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseUrl;
        var context = await _browser!.NewContextAsync(options);
        _contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>
    /// Browser tests run one at a time, so when a new test asks for a profile, every profile an earlier test
    /// opened is finished with: closing them here keeps one shared Chromium from filling up with idle pages.
    /// </summary>
    private async Task CloseContextsOfEarlierTestsAsync()
    {
        var test = TestContext.Current.Test;
        if (ReferenceEquals(test, _contextsOwner))
        {
            return;
        }

        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
        _contextsOwner = test;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await Teardown.RunAsync("the browser", () => _browser.DisposeAsync());
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>Two people in their direct chat, each with it open in a browser (<see cref="BrowserFixture.TwoPeopleInAChatAsync"/>).</summary>
public sealed record TwoInAChat(IPage Alice, IPage Bob, BlazorConnection BobConnection, int ChatId);
