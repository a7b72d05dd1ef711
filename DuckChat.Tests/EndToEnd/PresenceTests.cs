using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>Presence dots and the typing line, as two people see each other in a browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PresenceTests(BrowserFixture browser, ImmediateAwayAppFactory app) : IClassFixture<ImmediateAwayAppFactory>, IAsyncDisposable
{
    // Closed after each test: an open page keeps its circuit's socket, which would hold up the app's stop.
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task TheOtherPersonsDot_FollowsTheirTabs_OnlineAwayOffline_AndTheirAppearOfflineSwitch()
    {
        await app.CreateUserAsync("dot-alice");
        await app.CreateUserAsync("dot-bob");
        var (alice, _) = await PersonAsync("dot-alice");
        await alice.OpenAsync("/dm/dot-bob");
        await alice.SendAsync("hi"); // the chat list shows chats with a message
        var header = alice.Locator(".chat-header");
        var entry = alice.GetByRole(AriaRole.Link, new() { NameRegex = new("^dot-bob") });
        await Assertions.Expect(header.Locator("[data-presence]")).ToHaveCountAsync(0);

        var (bob, bobs) = await PersonAsync("dot-bob");
        await ExpectShownAsync(alice, "online");
        await Assertions.Expect(entry.Locator(".presence-dot")).ToHaveAttributeAsync("data-presence", "online");
        await Assertions.Expect(entry.Locator(".visually-hidden[data-presence]")).ToHaveAttributeAsync("data-presence", "online");

        await bob.HideTabAsync();
        await ExpectShownAsync(alice, "away");
        await bob.ShowTabAsync();
        await ExpectShownAsync(alice, "online");

        // Bob appears offline from the account page while another tab of his stays open: alice sees him offline.
        var bobsOtherTab = await bobs.NewPageAsync();
        await bobsOtherTab.GotoAsync("/");
        await bobsOtherTab.WaitForInteractiveAsync();
        await bob.GotoAsync("/Identity/Account/Manage");
        await bob.GetByRole(AriaRole.Switch, new() { Name = "Appear offline" }).CheckAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(header.Locator("[data-presence]")).ToHaveCountAsync(0);
        await Assertions.Expect(entry.Locator("[data-presence]")).ToHaveCountAsync(0);

        await Assertions.Expect(bob.GetByRole(AriaRole.Switch, new() { Name = "Appear offline" })).ToBeCheckedAsync();
        await bob.GetByRole(AriaRole.Switch, new() { Name = "Appear offline" }).UncheckAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ExpectShownAsync(alice, "online");

        await bobs.CloseAsync();
        await Assertions.Expect(header.Locator("[data-presence]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Typing_ShowsToTheOtherPerson_NeverInTheTypistsOtherTab_EndsWhenTheMessageArrives_OrByItself()
    {
        await app.CreateUserAsync("typ-alice");
        await app.CreateUserAsync("typ-bob");
        var (alice, alices) = await PersonAsync("typ-alice");
        await alice.OpenAsync("/dm/typ-bob");
        var alicesOtherTab = await alices.NewPageAsync();
        await alicesOtherTab.OpenAsync("/dm/typ-bob");
        var (bob, _) = await PersonAsync("typ-bob");
        await bob.OpenAsync("/dm/typ-alice");

        await alice.MessageBox().FillAsync("hel");
        await Assertions.Expect(bob.Locator(".typing-line")).ToHaveAttributeAsync("data-typing", "1");
        await Assertions.Expect(bob.Locator(".typing-line")).ToContainTextAsync("typ-alice");
        Assert.Equal("0", await alicesOtherTab.Locator(".typing-line").GetAttributeAsync("data-typing"));
        Assert.Equal("0", await alice.Locator(".typing-line").GetAttributeAsync("data-typing"));

        // Her message ends the line at once, long before the five seconds a signal lasts.
        await alice.MessageBox().PressAsync("Enter");
        await bob.ExpectLastMessagesAsync(["hel"]);
        await Assertions.Expect(bob.Locator(".typing-line")).ToHaveAttributeAsync("data-typing", "0", new() { Timeout = 2_000 });

        // Typing again (the script paces its signals, so type until one goes), then nothing: the line ends by itself.
        var typed = 0;
        await Eventually.TrueAsync(async () =>
        {
            await alicesOtherTab.MessageBox().FillAsync($"more {++typed}");
            return await bob.Locator(".typing-line").GetAttributeAsync("data-typing") == "1";
        }, because: "bob to see alice typing again");
        await Assertions.Expect(bob.Locator(".typing-line")).ToHaveAttributeAsync("data-typing", "0", new() { Timeout = 10_000 });
        Assert.Equal("0", await alice.Locator(".typing-line").GetAttributeAsync("data-typing"));
    }

    private static Task ExpectShownAsync(IPage page, string presence) =>
        Assertions.Expect(page.Locator(".chat-header .chat-presence")).ToHaveAttributeAsync("data-presence", presence);

    private async Task<(IPage Page, IBrowserContext Context)> PersonAsync(string userName)
    {
        var context = await browser.NewContextAsync(app);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.LogInAsync(userName);
        await page.WaitForInteractiveAsync();
        return (page, context);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }
}

/// <summary>A person shows as away as soon as none of their tabs is looked at (no grace), so tests need not wait for it.</summary>
public sealed class ImmediateAwayAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Presence:AwayAfter"] = "00:00:00",
});
