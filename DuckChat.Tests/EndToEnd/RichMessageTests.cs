using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>Formatting, reactions and the syntax help, as people use them in a browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RichMessageTests(BrowserFixture browser, PathologicalInputAppFactory app) : IClassFixture<PathologicalInputAppFactory>, IAsyncDisposable
{
    // Closed after each test: an open page keeps its circuit's socket, which would hold up the app's stop.
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task Reaction_ShowsLiveInEveryTab_WithWhoReacted_AndAChipClickTakesItBack()
    {
        var (alice, bobTabs, chatId, _, _) = await ChatAsync("react", bobTabs: 2);
        await alice.SendAsync("react to me");
        await bobTabs[1].ExpectLastMessagesAsync(["react to me"]);

        await bobTabs[0].ReactAsync("react to me", "thumbs up");

        await alice.ExpectReactionsAsync("react to me", "👍️ 1");
        await bobTabs[1].ExpectReactionsAsync("react to me", "👍️ 1*");
        Assert.Equal("react-bob", await alice.Row("react to me").Locator(".reaction").GetAttributeAsync("title"));

        await alice.ReactAsync("react to me", "thumbs up");
        await bobTabs[0].ExpectReactionsAsync("react to me", "👍️ 2*");
        Assert.Equal("react-bob, react-alice", await bobTabs[0].Row("react to me").Locator(".reaction").GetAttributeAsync("title"));

        // Without hover (a touch screen), a long press shows who reacted.
        await bobTabs[0].Row("react to me").Locator(".reaction").DispatchEventAsync("contextmenu");
        await Assertions.Expect(bobTabs[0].GetByRole(AriaRole.Tooltip)).ToHaveTextAsync("react-bob, react-alice");
        await bobTabs[0].Keyboard.PressAsync("Escape");

        await bobTabs[1].Row("react to me").Locator(".reaction").ClickAsync();
        await alice.ExpectReactionsAsync("react to me", "👍️ 1*");
        await bobTabs[0].ExpectReactionsAsync("react to me", "👍️ 1");

        // A fresh load shows what the live tabs show.
        var fresh = await (await NewContextAsync()).NewPageAsync();
        await fresh.LogInAsync("react-bob");
        await fresh.OpenAsync($"/chats/{chatId}");
        await fresh.ExpectReactionsAsync("react to me", "👍️ 1");
    }

    [Fact]
    public async Task FormattedMessage_ShowsItsFormatting_LinksOpenApart_AndCodeCopies()
    {
        var (alice, bobTabs, _, _, _) = await ChatAsync("fmt", bobTabs: 1, permissions: ["clipboard-read", "clipboard-write"]);
        var bob = bobTabs[0];

        await alice.MessageBox().FillAsync("**bold** and https://example.com\n```js\nvar answer = 42;\n```");
        await alice.MessageBox().PressAsync("Enter");

        var body = bob.MessageBodies().Last;
        await Assertions.Expect(body.Locator("strong")).ToHaveTextAsync("bold");
        var link = body.GetByRole(AriaRole.Link, new() { Name = "https://example.com" });
        await Assertions.Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Assertions.Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Assertions.Expect(body.Locator(".code-block code .keyword")).ToHaveTextAsync("var");
        await body.GetByRole(AriaRole.Button, new() { Name = "Copy code" }).ClickAsync();
        await Eventually.TrueAsync(async () => await bob.EvaluateAsync<string>("() => navigator.clipboard.readText()") == "var answer = 42;",
            because: "the code to be on the clipboard");
        await Assertions.Expect(bob.GetByRole(AriaRole.Status).Filter(new() { HasText = "copied" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Reply_QuotesTheOriginal_AndTheQuoteJumpsToIt_EvenWhenItIsNoLongerLoaded()
    {
        var (alice, bobTabs, chatId, aliceUser, bobUser) = await ChatAsync("reply", bobTabs: 1);
        var bob = bobTabs[0];
        await alice.SendAsync("the original question");
        var chats = app.ChatServiceFor(aliceUser);
        for (var i = 0; i < 60; i++)
        {
            await chats.SendAsync(chatId, $"filler {i}", Guid.NewGuid());
        }

        await bob.ExpectLastMessagesAsync(["filler 59"]);
        await bob.Row("filler 59").GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await bob.GetByRole(AriaRole.Menuitem, new() { Name = "Reply" }).ClickAsync();
        await Assertions.Expect(bob.Locator(".reply-bar")).ToContainTextAsync("filler 59");
        await Assertions.Expect(bob.MessageBox()).ToBeFocusedAsync();
        await bob.Keyboard.PressAsync("Escape");
        await Assertions.Expect(bob.Locator(".reply-bar")).ToHaveCountAsync(0);

        // The original is 60 messages up: not in the page any more (a page is 50), so the quote opens the chat around it.
        var original = (await chats.GetAroundAsync(chatId, 1))!.Messages[0];
        var reply = await app.ChatServiceFor(bobUser).SendAsync(chatId, "the answer", Guid.NewGuid(), original.Id);
        Assert.True(reply.Succeeded);
        await alice.OpenAsync($"/chats/{chatId}");
        await alice.ExpectLastMessagesAsync(["the answer"]);
        Assert.Equal(0, await alice.Row("the original question").CountAsync());
        var quote = alice.Row("the answer").Locator(".reply-quote");
        await Assertions.Expect(quote).ToContainTextAsync("the original question");
        await quote.ClickAsync();

        await Assertions.Expect(alice.Locator("[aria-current=true]")).ToContainTextAsync("the original question");
        await Assertions.Expect(alice.Locator("[aria-current=true]")).ToBeInViewportAsync();
    }

    [Fact]
    public async Task Reply_ChosenFromTheMenu_IsSentWithItsQuote_ToEveryTab()
    {
        var (alice, bobTabs, _, _, _) = await ChatAsync("rmenu", bobTabs: 2);
        await alice.SendAsync("what do you think?");
        await bobTabs[0].ExpectLastMessagesAsync(["what do you think?"]);

        await bobTabs[0].Row("what do you think?").GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await bobTabs[0].GetByRole(AriaRole.Menuitem, new() { Name = "Reply" }).ClickAsync();
        await bobTabs[0].SendAsync("I agree");

        await Assertions.Expect(bobTabs[0].Locator(".reply-bar")).ToHaveCountAsync(0);
        foreach (var page in new[] { alice, bobTabs[1], bobTabs[0] })
        {
            await Assertions.Expect(page.Row("I agree").Locator(".reply-quote")).ToContainTextAsync("what do you think?");
        }
    }

    [Fact]
    public async Task SyntaxHelp_OpensFromItsButton_AndEscapeClosesIt()
    {
        var (alice, _, _, _, _) = await ChatAsync("help", bobTabs: 0);
        var help = alice.GetByRole(AriaRole.Dialog, new() { Name = "Formatting help" });

        await alice.GetByRole(AriaRole.Button, new() { Name = "Formatting help" }).ClickAsync();
        await Assertions.Expect(help).ToBeVisibleAsync();
        await Assertions.Expect(help.Locator("code").First).ToHaveTextAsync("**bold**");
        await alice.Keyboard.PressAsync("Escape");

        await Assertions.Expect(help).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("nested quotes", 10_000, ">")]
    [InlineData("nested lists", 10_000, "- ")]
    [InlineData("asterisks", 100_000, "*")]
    [InlineData("nested quotes short enough to format", 3_000, "> ")]
    public async Task PathologicalMessage_Renders_AndTheCircuitCarriesOn(string name, int count, string unit)
    {
        var (alice, bobTabs, _, _, _) = await ChatAsync($"path{count}{unit.Length}", bobTabs: 1);
        var text = string.Concat(Enumerable.Repeat(unit, count)) + " end of " + name;

        // Sent through the composer, over the circuit, as a person would paste it.
        await alice.MessageBox().FillAsync(text);
        await alice.MessageBox().PressAsync("Enter");
        await Assertions.Expect(bobTabs[0].MessageBodies().Last).ToContainTextAsync("end of " + name);

        await alice.SendAsync("still here");
        await bobTabs[0].ExpectLastMessagesAsync(["still here"]);
    }

    private async Task<(IPage Alice, List<IPage> BobTabs, int ChatId, Web.Accounts.ApplicationUser AliceUser, Web.Accounts.ApplicationUser BobUser)> ChatAsync(string prefix, int bobTabs, string[]? permissions = null)
    {
        var aliceUser = await app.CreateUserAsync($"{prefix}-alice");
        var bobUser = await app.CreateUserAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var alice = await (await NewContextAsync()).NewPageAsync();
        await alice.LogInAsync(aliceUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        var tabs = new List<IPage>();
        if (bobTabs > 0)
        {
            var bobContext = await NewContextAsync(new() { Permissions = permissions });
            for (var i = 0; i < bobTabs; i++)
            {
                var tab = await bobContext.NewPageAsync();
                if (i == 0)
                {
                    await tab.LogInAsync(bobUser.UserName!);
                }

                await tab.OpenAsync($"/chats/{chatId}");
                tabs.Add(tab);
            }
        }

        return (alice, tabs, chatId, aliceUser, bobUser);
    }

    private async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(app, options);
        _contexts.Add(context);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }
}

/// <summary>Limits raised far enough for a person to paste pathological Markdown through the composer.</summary>
public sealed class PathologicalInputAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Chat:MaxMessageLength"] = "200000",
    ["DuckChat:Circuit:MaxReceiveMessageSize"] = "1048576",
    ["DuckChat:Chat:SendBurst"] = "10000",
    ["DuckChat:Chat:WriteBurst"] = "10000",
});
