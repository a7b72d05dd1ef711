using Deque.AxeCore.Playwright;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>axe-core on the pages people spend their time on, in both modes, at desktop and phone widths.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static readonly string[] Failing = ["serious", "critical"];

    public static TheoryData<string, bool, bool> Pages() => new()
    {
        { "home", false, false }, { "home", true, false }, { "home", false, true }, { "home", true, true },
        { "chat", false, false }, { "chat", true, false }, { "chat", false, true }, { "chat", true, true },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_HasNoSeriousOrCriticalViolations(string page, bool dark, bool phone)
    {
        var prefix = $"a11y-{page}-{(dark ? "dark" : "light")}-{(phone ? "phone" : "wide")}";
        var me = await app.CreateUserAsync($"{prefix}-me");
        var chatId = await GroupWithMessagesAsync(me, prefix);
        Assert.True((await app.ServiceFor<AccountService>(me).SetDarkModeAsync(dark)).Succeeded);
        await using var context = await browser.NewContextAsync(app, new()
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone, HasTouch = phone,
        });
        var tab = await context.NewPageAsync();
        await tab.LogInAsync(me.UserName!);
        await tab.WaitForInteractiveAsync();
        var list = tab.GetByRole(AriaRole.Navigation, new() { Name = "Your chats" });
        if (page == "chat")
        {
            await tab.OpenAsync($"/chats/{chatId}");
            await tab.SendAsync("mine too");
            await tab.ExpectLastMessagesAsync(["quack", "and again", "edited words", "mine too"]);
            // The sidebar is part of what is checked at desktop width; a phone shows the chat alone.
            await (phone ? Assertions.Expect(list).ToBeHiddenAsync() : Assertions.Expect(list).ToBeVisibleAsync());
        }
        else
        {
            await Assertions.Expect(list).ToBeVisibleAsync();
        }

        await Assertions.Expect(tab.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" })).ToHaveAttributeAsync("aria-checked", dark ? "true" : "false");

        var result = await tab.RunAxe();

        var failures = result.Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>A group of three with a few messages: two from one person in a row, one edited, and a system line (the page adds one of mine).</summary>
    private async Task<int> GroupWithMessagesAsync(ApplicationUser me, string prefix)
    {
        var bob = await app.CreateUserAsync($"{prefix}-bob");
        var carol = await app.CreateUserAsync($"{prefix}-carol");
        var created = await app.ServiceFor<GroupService>(me).CreateAsync("Pond", [bob.Id, carol.Id]);
        Assert.True(created.Succeeded);
        foreach (var (who, text) in new[] { (bob, "quack"), (bob, "and again"), (carol, "edit me") })
        {
            var sent = await app.ChatServiceFor(who).SendAsync(created.ChatId, text, Guid.NewGuid());
            Assert.True(sent.Succeeded);
            if (text == "edit me")
            {
                Assert.True((await app.ServiceFor<MessageActions>(carol).EditAsync(created.ChatId, sent.Message!.Id, "edited words")).Succeeded);
            }
        }

        return created.ChatId;
    }
}
