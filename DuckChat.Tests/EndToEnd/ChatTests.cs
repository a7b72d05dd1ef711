using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class ChatTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    [Fact]
    public async Task TwoPeople_FindEachOther_AndTalkLive_InEveryTab()
    {
        await app.CreateUserAsync("alice");
        await app.CreateUserAsync("bob");
        await using var aliceContext = await browser.NewContextAsync(app);
        await using var bobContext = await browser.NewContextAsync(app);
        var alice = await aliceContext.NewPageAsync();
        var bob = await bobContext.NewPageAsync();
        await bob.LogInAsync("bob");
        await bob.WaitForInteractiveAsync();
        await Assertions.Expect(bob.GetByText("No chats yet")).ToBeVisibleAsync();
        await alice.LogInAsync("alice");
        await alice.WaitForInteractiveAsync();

        await alice.GetByRole(AriaRole.Searchbox, new() { Name = "Search users" }).FillAsync("BO");
        await alice.GetByRole(AriaRole.Link, new() { Name = "bob", Exact = true }).ClickAsync();
        await alice.WaitForURLAsync(app.Url("/dm/bob"));
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "bob" })).ToBeVisibleAsync();
        await alice.SendAsync("Hi Bob, quack?");

        var chatLink = bob.GetByRole(AriaRole.Link, new() { NameRegex = new("^alice") });
        await Assertions.Expect(chatLink).ToContainTextAsync("alice: Hi Bob, quack?");
        await chatLink.ClickAsync();
        await bob.WaitForComposerAsync();
        await bob.MessageBox().FillAsync("Quack! Hi Alice");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await alice.ExpectLastMessagesAsync(["Hi Bob, quack?", "Quack! Hi Alice"]);
        var bobSecondTab = await bobContext.NewPageAsync();
        await bobSecondTab.OpenAsync(bob.Url);
        await bobSecondTab.ExpectLastMessagesAsync(["Hi Bob, quack?", "Quack! Hi Alice"]);
        await alice.SendAsync("Both your tabs see this");
        await bob.ExpectLastMessagesAsync(["Hi Bob, quack?", "Quack! Hi Alice", "Both your tabs see this"]);
        await bobSecondTab.ExpectLastMessagesAsync(["Hi Bob, quack?", "Quack! Hi Alice", "Both your tabs see this"]);
        Assert.Contains("mine", await bob.Locator(".message").Nth(1).GetAttributeAsync("class"));
    }

    [Fact]
    public async Task ShiftEnter_MakesANewLine_EnterSends()
    {
        var (context, page) = await InDirectChatAsync("lines-a", "lines-b");
        await using var _ = context;

        await page.MessageBox().PressSequentiallyAsync("line one");
        await page.MessageBox().PressAsync("Shift+Enter");
        await page.MessageBox().PressSequentiallyAsync("line two");
        Assert.Equal("line one\nline two", await page.MessageBox().InputValueAsync());
        await page.MessageBox().PressAsync("Enter");

        await page.ExpectLastMessagesAsync(["line one\nline two"]);
        Assert.Equal("", await page.MessageBox().InputValueAsync());
    }

    [Fact]
    public async Task ConfirmedSend_IsNotKeptInTheTab_NorShownAsNotSentAfterAReload()
    {
        var (context, page) = await InDirectChatAsync("kept-a", "kept-b");
        await using var _ = context;

        await page.SendAsync("confirmed at once");
        await Eventually.TrueAsync(async () => (await page.KeptTextsAsync()).Length == 0, because: "the tab to stop keeping the confirmed send");
        await page.ReloadAsync();
        await page.WaitForComposerAsync();

        await page.ExpectLastMessagesAsync(["confirmed at once"]);
        await Assertions.Expect(page.PendingSends()).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MessageMenu_WorksFromTheKeyboard()
    {
        await app.CreateUserAsync("keys-a");
        await app.CreateUserAsync("keys-b");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("keys-a");
        await page.OpenAsync("/dm/keys-b");
        await page.SendAsync("typo hree");
        var actions = page.GetByRole(AriaRole.Button, new() { Name = "Message actions" });
        var item = (string name) => page.GetByRole(AriaRole.Menuitem, new() { Name = name });

        await actions.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(item("Reply")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(item("Delete")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();
        await Assertions.Expect(actions).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(item("Reply")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(item("React")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(item("Mark as unread")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(item("Edit")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync("typo here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.ExpectLastMessagesAsync(["typo here"]);
    }

    [Fact]
    public async Task ScriptInAMessage_ShowsAsText_AndRunsNothing()
    {
        const string payload = "<img src=x onerror=alert(1)><script>window.__x=1</script>";
        await app.CreateUserAsync("xss-a");
        await app.CreateUserAsync("xss-b");
        await using var aliceContext = await browser.NewContextAsync(app);
        await using var bobContext = await browser.NewContextAsync(app);
        var alice = await aliceContext.NewPageAsync();
        var bob = await bobContext.NewPageAsync();
        var dialogs = 0;
        alice.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        bob.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await alice.LogInAsync("xss-a");
        await bob.LogInAsync("xss-b");
        await alice.OpenAsync("/dm/xss-b");
        await bob.OpenAsync("/dm/xss-a");

        await alice.SendAsync(payload);

        await bob.ExpectLastMessagesAsync([payload]);
        await bob.GotoAsync("/");
        await Assertions.Expect(bob.GetByRole(AriaRole.Link, new() { NameRegex = new("^xss-a") })).ToContainTextAsync(payload);
        Assert.Null(await alice.EvaluateAsync<int?>("() => window.__x"));
        Assert.Null(await bob.EvaluateAsync<int?>("() => window.__x"));
        Assert.Equal(0, await bob.Locator(".message-body img, .chat-list img").CountAsync());
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Addresses_UnknownUser_Myself_AndAChatIAmNotIn_AreFriendly()
    {
        await app.CreateUserAsync("addr.one");
        await app.CreateUserAsync("addr-two");
        await app.CreateUserAsync("addr_three");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("addr.one");
        await page.OpenAsync("/dm/addr-two");
        var theirChat = page.Url;

        await page.GotoAsync("/dm/nobody-here");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "User not found" })).ToBeVisibleAsync();
        await page.GotoAsync("/dm/ADDR.ONE");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "That's you" })).ToBeVisibleAsync();

        await using var other = await browser.NewContextAsync(app);
        var outsider = await other.NewPageAsync();
        await outsider.LogInAsync("addr_three");
        var chatId = await ChatIdOfAsync(app, "addr.one", "addr-two");
        await outsider.GotoAsync($"/chats/{chatId}");
        await Assertions.Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Chat not found" })).ToBeVisibleAsync();
        await outsider.GotoAsync("/chats/987654");
        await Assertions.Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Chat not found" })).ToBeVisibleAsync();
        Assert.Contains("/dm/addr-two", theirChat);
    }

    [Fact]
    public async Task Search_SaysNoUsersFound_WhenNothingMatches()
    {
        await app.CreateUserAsync("lonely");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("lonely");
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search users" }).FillAsync("zz-no-such-person");

        await Assertions.Expect(page.GetByText("No users found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LongHistory_OpensAtTheNewest_AndLoadsOlderWhenScrollingUp()
    {
        var reader = await app.CreateUserAsync("hist-reader");
        var writer = await app.CreateUserAsync("hist-writer");
        var chats = app.ChatServiceFor(writer);
        var chatId = (await chats.OpenDirectChatAsync("hist-reader")).ChatId;
        for (var i = 1; i <= 120; i++)
        {
            Assert.True((await chats.SendAsync(chatId, $"history {i}", Guid.NewGuid())).Succeeded);
        }

        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync(reader.UserName!);
        await page.OpenAsync($"/chats/{chatId}");

        await page.ExpectLastMessagesAsync(["history 119", "history 120"]);
        Assert.Equal(50, (await page.MessageTextsAsync()).Count);
        await Assertions.Expect(page.MessageBodies().Last).ToBeInViewportAsync();

        for (var loads = 0; loads < 5 && (await page.MessageTextsAsync())[0] != "history 1"; loads++)
        {
            var before = (await page.MessageTextsAsync()).Count;
            await page.Locator(".message-list").EvaluateAsync("list => list.scrollTop = 0");
            await Eventually.TrueAsync(async () => (await page.MessageTextsAsync()).Count > before, because: "older messages to load");
        }

        var all = await page.MessageTextsAsync();
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"history {i}"), all);
    }

    [Fact]
    public async Task Phone_ChatFillsTheScreen_WithTheComposerVisible()
    {
        await app.CreateUserAsync("phone-a");
        await app.CreateUserAsync("phone-b");
        await using var context = await browser.NewContextAsync(app, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.LogInAsync("phone-a");
        await page.OpenAsync("/dm/phone-b");
        await page.SendAsync("from my phone");

        var screenshot = Path.Combine(Path.GetTempPath(), "duckchat-phone-chat.png");
        await page.ScreenshotAsync(new() { Path = screenshot });

        var box = await page.MessageBox().BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Y + box.Height <= 844 && box.Y > 844 / 2, $"composer at y={box.Y}, height {box.Height}");
        Assert.False(await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search users" }).IsVisibleAsync(), "the drawer should fold away on a phone");
        var list = await page.Locator(".message-list").BoundingBoxAsync();
        Assert.True(list!.Width >= 380, $"the chat should fill the width, was {list.Width}");
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    private static async Task<int> ChatIdOfAsync(DuckChatAppFactory app, string a, string b)
    {
        await using var db = await app.CreateDbContextAsync();
        var ids = db.Users.Where(u => u.UserName == a || u.UserName == b).Select(u => u.Id).ToList();
        var key = DuckChat.Web.Data.Chat.DirectKeyFor(ids[0], ids[1]);
        return db.Chats.Single(c => c.DirectKey == key).Id;
    }

    /// <summary>A new person, signed in, on their direct chat with another new person (the caller disposes the context).</summary>
    private async Task<(IBrowserContext Context, IPage Page)> InDirectChatAsync(string me, string other)
    {
        await app.CreateUserAsync(me);
        await app.CreateUserAsync(other);
        var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync(me);
        await page.OpenAsync($"/dm/{other}");
        return (context, page);
    }
}
