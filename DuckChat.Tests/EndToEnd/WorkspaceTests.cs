using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class WorkspaceTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    [Fact]
    public async Task Desktop_ListStaysBesideTheChat_MarksItCurrent_SwitchesInOneClick_AndFollowsNewMessages()
    {
        var me = await app.CreateUserAsync("ws-me");
        var bob = await app.CreateUserAsync("ws-bob");
        var carol = await app.CreateUserAsync("ws-carol");
        var withBob = await DirectChatAsync(bob, "ws-me", "bob was here");
        var withCarol = await DirectChatAsync(carol, "ws-me", "carol was here");
        await using var context = await browser.NewContextAsync(app, new() { ViewportSize = Desktop });
        var page = await context.NewPageAsync();
        await page.LogInAsync(me.UserName!);
        await page.OpenAsync($"/chats/{withBob}");
        await page.MarkDocumentAsync();

        var sidebar = page.GetByRole(AriaRole.Navigation, new() { Name = "Your chats" });
        var bobEntry = sidebar.GetByRole(AriaRole.Link, new() { NameRegex = new("^ws-bob") });
        var carolEntry = sidebar.GetByRole(AriaRole.Link, new() { NameRegex = new("^ws-carol") });
        await Assertions.Expect(sidebar).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ws-bob" })).ToBeVisibleAsync();
        await Assertions.Expect(bobEntry).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" })).ToBeHiddenAsync();

        await carolEntry.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ws-carol" })).ToBeVisibleAsync();
        await page.ExpectLastMessagesAsync(["carol was here"]);
        await Assertions.Expect(carolEntry).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(bobEntry).Not.ToHaveAttributeAsync("aria-current", "page");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__duckChatMarked === true"), "switching chats should not load the page anew");
        Assert.EndsWith($"/chats/{withCarol}", page.Url);

        // Bob writes in the other chat: his entry moves to the top, with its unread count, while Carol's chat stays open.
        Assert.True((await app.ChatServiceFor(bob).SendAsync(withBob, "are you there?", Guid.NewGuid())).Succeeded);

        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link).First).ToHaveAttributeAsync("href", $"/chats/{withBob}");
        await Assertions.Expect(bobEntry.Locator(".chat-list-unread")).ToHaveTextAsync("1");
        await Assertions.Expect(bobEntry).ToContainTextAsync("are you there?");
        await Assertions.Expect(carolEntry.Locator(".chat-list-unread")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task GroupConversation_AtDesktopWidth_ConsecutiveMessagesShareOneHeaderWithAnAvatar()
    {
        var me = await app.CreateUserAsync("ws-ann");
        var ben = await app.CreateUserAsync("ws-ben.brown");
        var cat = await app.CreateUserAsync("ws-cat");
        await DirectChatAsync(cat, "ws-ann", "see you at the pond");
        var pond = await app.ServiceFor<GroupService>(me).CreateAsync("Pond", [ben.Id, cat.Id]);
        Assert.True(pond.Succeeded);
        foreach (var (who, text) in new[] { (ben, "Morning, ducks"), (ben, "Bread at ten?"), (cat, "Make it eleven") })
        {
            Assert.True((await app.ChatServiceFor(who).SendAsync(pond.ChatId, text, Guid.NewGuid())).Succeeded);
        }

        await using var context = await browser.NewContextAsync(app, new() { ViewportSize = Desktop });
        var page = await context.NewPageAsync();
        await page.LogInAsync(me.UserName!);
        await page.OpenAsync($"/chats/{pond.ChatId}");
        await page.SendAsync("Eleven it is");
        await page.SendAsync("I'll bring the seeds");

        // Five messages from three people in a row: three headers, each with its sender's avatar.
        await Assertions.Expect(page.Locator(".message")).ToHaveCountAsync(5);
        Assert.Equal(["ws-ben.brown", "ws-cat", "ws-ann"], await page.Locator(".message-sender").AllTextContentsAsync());
        Assert.Equal(["WB", "WC", "WA"], await page.Locator(".message .avatar").AllTextContentsAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Separator)).ToHaveCountAsync(1);

        // The picture of the workspace in the README (docs/workspace.png) is this one.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "duckchat-workspace.png") });
    }

    [Fact]
    public async Task Phone_ListIsHome_AndAChatLeadsBackToIt()
    {
        var me = await app.CreateUserAsync("ws-phone");
        var dora = await app.CreateUserAsync("ws-dora");
        var chatId = await DirectChatAsync(dora, "ws-phone", "hello phone");
        await using var context = await browser.NewContextAsync(app, new()
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.LogInAsync(me.UserName!);
        await page.WaitForInteractiveAsync();

        var entry = page.GetByRole(AriaRole.Link, new() { NameRegex = new("^ws-dora") });
        await entry.ClickAsync();
        await page.WaitForComposerAsync();
        await page.ExpectLastMessagesAsync(["hello phone"]);
        Assert.EndsWith($"/chats/{chatId}", page.Url);
        // Beside the chat there is no room for the list: only the chat shows.
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Your chats" })).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();

        await page.WaitForURLAsync(app.Url("/"));
        await Assertions.Expect(entry).ToBeVisibleAsync();
        await Assertions.Expect(page.MessageBox()).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task UpInTheEmptyComposer_EditsMyLastMessage_AndEscapeCancels()
    {
        await app.CreateUserAsync("ws-keys");
        await app.CreateUserAsync("ws-eve");
        await using var context = await browser.NewContextAsync(app, new() { ViewportSize = Desktop });
        var page = await context.NewPageAsync();
        await page.LogInAsync("ws-keys");
        await page.OpenAsync("/dm/ws-eve");
        await page.SendAsync("first of mine");
        await page.SendAsync("last of mine");
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });

        await page.MessageBox().PressAsync("ArrowUp");

        await Assertions.Expect(editor).ToBeFocusedAsync();
        await Assertions.Expect(editor).ToHaveValueAsync("last of mine");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        await Assertions.Expect(page.MessageBox()).ToBeFocusedAsync();
        await page.ExpectLastMessagesAsync(["first of mine", "last of mine"]);

        // Up with text in the box moves in the text, as it always does.
        await page.MessageBox().FillAsync("draft");
        await page.MessageBox().PressAsync("ArrowUp");
        await Assertions.Expect(page.MessageBox()).ToBeFocusedAsync();
        await Assertions.Expect(editor).ToHaveCountAsync(0);

        await page.MessageBox().FillAsync("");
        await page.MessageBox().PressAsync("ArrowUp");
        await editor.FillAsync("last of mine, edited");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.ExpectLastMessagesAsync(["first of mine", "last of mine, edited"]);
    }

    /// <summary>The direct chat between <paramref name="sender"/> and <paramref name="other"/>, with one message from the sender.</summary>
    private async Task<int> DirectChatAsync(ApplicationUser sender, string other, string text)
    {
        var chats = app.ChatServiceFor(sender);
        var chatId = (await chats.OpenDirectChatAsync(other)).ChatId;
        Assert.True((await chats.SendAsync(chatId, text, Guid.NewGuid())).Succeeded);
        return chatId;
    }
}
