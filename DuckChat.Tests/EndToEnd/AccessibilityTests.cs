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
        { "picker", false, false }, { "picker", true, false }, { "picker", false, true }, { "picker", true, true },
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
        if (page is "chat" or "picker")
        {
            await tab.OpenAsync($"/chats/{chatId}");
            await tab.SendAsync("mine too");
            await tab.ExpectLastMessagesAsync(["mine too"]);
            await Assertions.Expect(tab.Locator(".reaction.mine")).ToHaveCountAsync(1);
            await Assertions.Expect(tab.Locator(".reply-quote")).ToHaveCountAsync(1);
            await Assertions.Expect(tab.Locator(".code-block .keyword")).ToHaveCountAsync(1);
            // The sidebar is part of what is checked at desktop width; a phone shows the chat alone.
            await (phone ? Assertions.Expect(list).ToBeHiddenAsync() : Assertions.Expect(list).ToBeVisibleAsync());
        }
        else
        {
            await Assertions.Expect(list).ToBeVisibleAsync();
        }

        if (page == "picker")
        {
            await tab.Row("mine too").GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
            await tab.GetByRole(AriaRole.Menuitem, new() { Name = "React" }).ClickAsync();
            await Assertions.Expect(tab.GetByRole(AriaRole.Dialog, new() { Name = "React with an emoji" })).ToBeVisibleAsync();
            await Assertions.Expect(tab.Locator(".reaction-option").First).ToBeVisibleAsync();
        }

        await Assertions.Expect(tab.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" })).ToHaveAttributeAsync("aria-checked", dark ? "true" : "false");

        var result = await tab.RunAxe();

        var failures = result.Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>
    /// A group of three with a few messages: two from one person in a row (formatted, with a link), one edited, a
    /// reply, a highlighted code block, reactions (one of them mine) and a system line (the page adds one of mine).
    /// </summary>
    private async Task<int> GroupWithMessagesAsync(ApplicationUser me, string prefix)
    {
        var bob = await app.CreateUserAsync($"{prefix}-bob");
        var carol = await app.CreateUserAsync($"{prefix}-carol");
        var created = await app.ServiceFor<GroupService>(me).CreateAsync("Pond", [bob.Id, carol.Id]);
        Assert.True(created.Succeeded);
        long first = 0;
        foreach (var (who, text) in new[] { (bob, "**quack**, see https://example.com"), (bob, "and `again`"), (carol, "edit me"), (carol, "```js\nvar x = 1;\n```") })
        {
            var sent = await app.ChatServiceFor(who).SendAsync(created.ChatId, text, Guid.NewGuid());
            Assert.True(sent.Succeeded);
            first = first == 0 ? sent.Message!.Id : first;
            if (text == "edit me")
            {
                Assert.True((await app.ServiceFor<MessageActions>(carol).EditAsync(created.ChatId, sent.Message!.Id, "edited words")).Succeeded);
            }
        }

        Assert.True((await app.ChatServiceFor(carol).SendAsync(created.ChatId, "> quoted and *answered*", Guid.NewGuid(), first)).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(created.ChatId, first, "👍️")).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(me).ToggleReactionAsync(created.ChatId, first, "👍️")).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(carol).ToggleReactionAsync(created.ChatId, first, "🎉")).Succeeded);
        return created.ChatId;
    }
}
