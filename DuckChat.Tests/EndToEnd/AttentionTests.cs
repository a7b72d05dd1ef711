using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>Mentions, the @ badge and the Mentions page, mute, and desktop notifications, as people use them in a browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttentionTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>, IAsyncDisposable
{
    // Counts, in each tab, the notifications the server asked for and the system notifications the tab showed.
    private const string WatchNotifications = """
        window.__shown = [];
        window.__asked = 0;
        const Real = window.Notification;
        window.Notification = class extends Real {
            constructor(title, options) {
                super(title, options);
                window.__shown.push({ title, body: options?.body, tag: options?.tag });
            }
        };
        Object.defineProperty(window, "duckChat", {
            configurable: true,
            set(value) {
                const notify = value.notify;
                value.notify = n => { window.__asked++; return notify(n); };
                Object.defineProperty(window, "duckChat", { value, writable: true, configurable: true });
            },
        });
        """;

    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task MentionPicker_ListsMembersFirst_IsWorkedByKeyboard_AndTheMentionedSeeItHighlighted()
    {
        var (alice, bob, carol, groupId) = await GroupAsync("pick");
        await app.CreateUserAsync("pick-dave");
        var alicePage = await PageAsync(alice.UserName!, $"/chats/{groupId}");
        var carolPage = await PageAsync(carol.UserName!, $"/chats/{groupId}");
        var box = alicePage.MessageBox();
        var picker = alicePage.GetByRole(AriaRole.Listbox, new() { Name = "People to mention" });

        await box.PressSequentiallyAsync("hello @pick-");
        await Assertions.Expect(picker.GetByRole(AriaRole.Option)).ToHaveTextAsync(["@pick-bob", "@pick-carol", "@pick-dave not in this chat"]);
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-activedescendant", "mention-picker-0");
        await box.PressAsync("ArrowDown");
        await Assertions.Expect(picker.GetByRole(AriaRole.Option, new() { Selected = true })).ToHaveTextAsync("@pick-carol");
        await box.PressAsync("Enter");
        await Assertions.Expect(box).ToHaveValueAsync("hello @pick-carol ");
        await Assertions.Expect(picker).ToBeHiddenAsync();

        await box.PressSequentiallyAsync("and @pick-b");
        await Assertions.Expect(picker.GetByRole(AriaRole.Option)).ToHaveTextAsync(["@pick-bob"]);
        await box.PressAsync("Escape");
        await Assertions.Expect(picker).ToBeHiddenAsync();
        await box.PressSequentiallyAsync("o");
        // The picker opens again once the server has answered for what is typed; Tab picks only from an open list.
        await Assertions.Expect(picker.GetByRole(AriaRole.Option)).ToHaveTextAsync(["@pick-bob"]);
        await box.PressAsync("Tab");
        await Assertions.Expect(box).ToHaveValueAsync("hello @pick-carol and @pick-bob ");
        await box.PressAsync("Enter");

        var mention = carolPage.Row("hello @pick-carol and @pick-bob").Locator(".mention");
        await Assertions.Expect(mention).ToHaveCountAsync(2);
        await Assertions.Expect(mention.First).ToHaveAttributeAsync("data-user", carol.Id);
        // Carol's own mention stands out from Bob's.
        var backgrounds = await mention.EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).backgroundColor)");
        Assert.NotEqual(backgrounds[0], backgrounds[1]);
        _ = bob;
    }

    [Fact]
    public async Task Mention_ShowsAnAtBadge_IsListedOnTheMentionsPage_WhichOpensTheChatAtIt()
    {
        var (alice, bob, _, groupId) = await GroupAsync("badge");
        var bobHome = await PageAsync(bob.UserName!, "/");
        var chats = app.ChatServiceFor(alice);
        await chats.SendAsync(groupId, "first, for everyone", Guid.NewGuid());
        var mention = await chats.SendAsync(groupId, "@badge-bob can you look?", Guid.NewGuid());
        for (var i = 0; i < 3; i++)
        {
            await chats.SendAsync(groupId, $"later {i}", Guid.NewGuid());
        }

        var entry = bobHome.GetByRole(AriaRole.Link, new() { NameRegex = new("^badge team") });
        await Assertions.Expect(entry.Locator(".chat-list-mention")).ToBeVisibleAsync();
        await Assertions.Expect(entry.Locator(".chat-list-unread")).ToHaveTextAsync("6");

        await bobHome.GetByRole(AriaRole.Link, new() { Name = "Mentions" }).ClickAsync();
        var listed = bobHome.GetByRole(AriaRole.List, new() { Name = "Your mentions" }).GetByRole(AriaRole.Link);
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await Assertions.Expect(listed).ToContainTextAsync("badge-alice in badge team");
        await Assertions.Expect(listed).ToContainTextAsync("@badge-bob can you look?");

        await listed.ClickAsync();
        await Assertions.Expect(bobHome).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chats/{groupId}\\?at={mention.Message!.Seq}$"));
        await Assertions.Expect(bobHome.Locator(".message.highlighted")).ToContainTextAsync("can you look?");
        // Read now: the sidebar's badge goes.
        await Assertions.Expect(bobHome.Locator(".chat-list-mention")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MutedChat_CountsDimmed_LeavesTheTitle_FollowsInEveryTab_AndStillShowsAMention()
    {
        var (alice, bob, _, groupId) = await GroupAsync("mute");
        var bobChat = await PageAsync(bob.UserName!, $"/chats/{groupId}");
        var bobHome = await bobChat.Context.NewPageAsync();
        await bobHome.GotoAsync("/");
        await bobHome.WaitForInteractiveAsync();

        await bobChat.GetByLabel("Notifications for this chat").SelectOptionAsync("ExceptMentions");
        var entry = bobHome.GetByRole(AriaRole.Link, new() { NameRegex = new("^mute team") });
        await Assertions.Expect(entry).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("muted"));
        await bobChat.GotoAsync("/");
        await bobChat.WaitForInteractiveAsync();

        await app.ChatServiceFor(alice).SendAsync(groupId, "quiet news", Guid.NewGuid());
        await Assertions.Expect(entry.Locator(".chat-list-unread")).ToHaveTextAsync("1");
        await Assertions.Expect(bobHome).ToHaveTitleAsync("DuckChat");

        await app.ChatServiceFor(alice).SendAsync(groupId, "@mute-bob but this is for you", Guid.NewGuid());
        await Assertions.Expect(entry.Locator(".chat-list-mention")).ToBeVisibleAsync();
        await Assertions.Expect(bobHome).ToHaveTitleAsync("DuckChat");

        // Unmuted from another tab: this one follows, and the title counts the chat again.
        await bobChat.GotoAsync($"/chats/{groupId}");
        await bobChat.WaitForComposerAsync();
        await bobChat.GetByLabel("Notifications for this chat").SelectOptionAsync("None");
        await Assertions.Expect(entry).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("muted"));
    }

    [Fact]
    public async Task DesktopNotification_IsShownOnceAcrossThreeHiddenTabs_AndNotWhileATabIsLookedAt()
    {
        var alice = await app.CreateUserAsync("desk-alice");
        var bob = await app.CreateUserAsync("desk-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var context = await NewContextAsync(new() { Permissions = ["notifications"] });
        await context.AddInitScriptAsync(WatchNotifications);
        var tabs = new List<IPage>();
        for (var i = 0; i < 3; i++)
        {
            var tab = await context.NewPageAsync();
            if (i == 0)
            {
                await tab.LogInAsync(bob.UserName!);
            }

            await tab.GotoAsync("/");
            await tab.WaitForInteractiveAsync();
            await tab.HideTabAsync();
            tabs.Add(tab);
        }

        var sent = await app.ChatServiceFor(alice).SendAsync(chatId, "**lunch** at noon?", Guid.NewGuid());

        // Every tab was asked; one of them showed it.
        await Eventually.TrueAsync(async () => (await AskedAsync(tabs)).All(asked => asked == 1), because: "every tab to hear of the message");
        var shown = await ShownAsync(tabs);
        var only = Assert.Single(shown);
        Assert.Equal(("desk-alice", "lunch at noon?", $"message-{sent.Message!.Id}"), only);

        // One tab in front: nobody shows the next one.
        await tabs[2].ShowTabAsync();
        await app.ChatServiceFor(alice).SendAsync(chatId, "still there?", Guid.NewGuid());
        await Eventually.TrueAsync(async () => (await AskedAsync(tabs)).All(asked => asked == 2), because: "every tab to hear of the second message");
        Assert.Single(await ShownAsync(tabs));
    }

    private static async Task<List<int>> AskedAsync(List<IPage> tabs) =>
        [.. await Task.WhenAll(tabs.Select(t => t.EvaluateAsync<int>("() => window.__asked")))];

    private static async Task<List<(string, string, string)>> ShownAsync(List<IPage> tabs)
    {
        var shown = new List<(string, string, string)>();
        foreach (var tab in tabs)
        {
            var each = await tab.EvaluateAsync<Shown[]>("() => window.__shown");
            shown.AddRange(each.Select(s => (s.Title, s.Body, s.Tag)));
        }

        return shown;
    }

    private sealed class Shown
    {
        public string Title { get; set; } = "";

        public string Body { get; set; } = "";

        public string Tag { get; set; } = "";
    }

    private async Task<(Web.Accounts.ApplicationUser Alice, Web.Accounts.ApplicationUser Bob, Web.Accounts.ApplicationUser Carol, int GroupId)> GroupAsync(string prefix)
    {
        var alice = await app.CreateUserAsync($"{prefix}-alice");
        var bob = await app.CreateUserAsync($"{prefix}-bob");
        var carol = await app.CreateUserAsync($"{prefix}-carol");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync($"{prefix} team", [bob.Id, carol.Id]);
        return (alice, bob, carol, created.ChatId);
    }

    [Fact]
    public async Task MentionsPage_DropsTheMentionsOfAChatIAmRemovedFrom_AndKeepsTheRest()
    {
        var (alice, bob, _, kept) = await GroupAsync("gone");
        var left = (await app.ServiceFor<GroupService>(alice).CreateAsync("gone other", [bob.Id])).ChatId;
        await app.ChatServiceFor(alice).SendAsync(kept, "@gone-bob stays listed", Guid.NewGuid());
        await app.ChatServiceFor(alice).SendAsync(left, "@gone-bob goes away", Guid.NewGuid());
        var page = await PageAsync(bob.UserName!, "/mentions");
        var listed = page.GetByRole(AriaRole.List, new() { Name = "Your mentions" }).GetByRole(AriaRole.Link);
        await Assertions.Expect(listed).ToHaveCountAsync(2);

        Assert.True((await app.ServiceFor<GroupService>(alice).RemoveMemberAsync(left, bob.Id)).Succeeded);

        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await Assertions.Expect(listed).ToContainTextAsync("stays listed");
    }

    [Fact]
    public async Task NotifyLevel_ChosenInOneTab_IsShownInTheOthers()
    {
        var bob = await app.CreateUserAsync("level-bob");
        var context = await NewContextAsync();
        var first = await context.NewPageAsync();
        await first.LogInAsync(bob.UserName!);
        await first.GotoAsync("/settings/notifications");
        await first.WaitForInteractiveAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync("/settings/notifications");
        await second.WaitForInteractiveAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Radio, new() { Name = "Direct messages and mentions" })).ToBeCheckedAsync();

        await first.GetByRole(AriaRole.Radio, new() { Name = "Nothing" }).ClickAsync();

        await Assertions.Expect(second.GetByRole(AriaRole.Radio, new() { Name = "Nothing" })).ToBeCheckedAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Radio, new() { Name = "Direct messages and mentions" })).Not.ToBeCheckedAsync();
    }

    private async Task<IPage> PageAsync(string userName, string path)
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        await page.LogInAsync(userName);
        if (path.StartsWith("/chats/", StringComparison.Ordinal))
        {
            await page.OpenAsync(path);
        }
        else
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
        }

        return page;
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
