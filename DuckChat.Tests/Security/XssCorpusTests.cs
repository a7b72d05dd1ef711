using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

/// <summary>
/// Stored XSS: payloads sent as messages and group names, then shown where people and admins see them (chat, chat
/// list, admin tables, title). None may run; each must show as the text it is.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssCorpusTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    public static readonly string[] Payloads =
    [
        "<script>window.__x=1</script>",
        "<img src=x onerror=\"window.__x=1;alert(1)\">",
        "<svg onload=\"window.__x=1\">",
        "<svg><script>window.__x=1</script></svg>",
        "<a href=\"javascript:window.__x=1\">click</a>",
        "[click](javascript:window.__x=1)",
        "![x](x\" onerror=\"window.__x=1)",
        "<iframe src=\"javascript:window.__x=1\"></iframe>",
        "<body onload=window.__x=1>",
        "\"><script>window.__x=1</script>",
        "'><img src=x onerror=window.__x=1>",
        "&lt;script&gt;window.__x=1&lt;/script&gt;",
        "&#60;script&#62;window.__x=1&#60;/script&#62;",
        "<scr<script>ipt>window.__x=1</scr</script>ipt>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__x=1>",
        "<details open ontoggle=window.__x=1>",
        "<input autofocus onfocus=window.__x=1>",
        "<video><source onerror=window.__x=1>",
        "<object data=\"javascript:window.__x=1\">",
        "<embed src=\"javascript:window.__x=1\">",
        "<form><button formaction=javascript:window.__x=1>x</button></form>",
        "<style>@import 'javascript:window.__x=1';</style>",
        "<div style=\"background:url(javascript:window.__x=1)\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__x=1\">",
        "<base href=\"javascript:window.__x=1//\">",
        "{{constructor.constructor('window.__x=1')()}}",
        "${window.__x=1}",
        "@(window.__x=1)",
        "<marquee onstart=window.__x=1>",
        "<x onclick=window.__x=1>click me</x>",
        "\\u003cscript\\u003ewindow.__x=1\\u003c/script\\u003e",
        "<!--<img src=\"--><img src=x onerror=window.__x=1//\">",
    ];

    [Fact]
    public async Task Payloads_ShowAsText_AndNoneRuns_InChatListAndAdminTables()
    {
        var alice = await app.CreatePersonAsync("xss-alice");
        var bob = await app.CreateUserAsync("xss-bob");
        var admin = await app.CreateUserAsync("xss-admin");
        await app.MakeAdminAsync(admin);
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync("xss-bob")).ChatId;
        foreach (var payload in Payloads)
        {
            Assert.True((await app.ChatServiceFor(alice).SendAsync(chatId, payload, Guid.NewGuid())).Succeeded);
        }

        var groupNames = Payloads.Take(6).Select(p => p.Length <= 64 ? p : p[..64]).ToList();
        foreach (var name in groupNames)
        {
            Assert.True((await app.ServiceFor<GroupService>(alice).CreateAsync(name, [bob.Id])).Succeeded);
        }

        var dialogs = 0;
        var context = await browser.NewContextAsync(app);
        context.Page += (_, page) => page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var bobPage = await context.NewPageAsync();
        await bobPage.LogInAsync("xss-bob");
        await bobPage.WaitForInteractiveAsync();

        var listNames = await bobPage.Locator(".chat-list-name").AllTextContentsAsync();
        Assert.All(groupNames, name => Assert.Contains(name, listNames));
        await NothingRanAsync(bobPage);

        await bobPage.OpenAsync($"/chats/{chatId}");
        await Eventually.TrueAsync(async () => (await bobPage.MessageTextsAsync()).Count >= Payloads.Length, because: "the payloads to show");
        Assert.Equal(Payloads, (await bobPage.MessageTextsAsync()).TakeLast(Payloads.Length));
        Assert.Matches(@"^(\(\d+\) )?DuckChat$", await bobPage.TitleAsync()); // the title never carries what people wrote
        await NothingRanAsync(bobPage);

        var adminPage = await (await browser.NewContextAsync(app)).NewPageAsync();
        adminPage.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await adminPage.LogInAsync("xss-admin");
        await adminPage.GotoAsync($"/admin/messages?chat={chatId}");
        await adminPage.WaitForInteractiveAsync();
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Eventually.TrueAsync(async () => (await adminPage.Locator("td .message-body").CountAsync()) == 25, because: "the first page of messages");
        Assert.Subset(Payloads.ToHashSet(), (await adminPage.Locator("td .message-body").AllTextContentsAsync()).ToHashSet());
        await adminPage.GotoAsync("/admin/chats");
        await adminPage.WaitForInteractiveAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Cell, new() { Name = groupNames[0], Exact = true })).ToBeVisibleAsync();
        await NothingRanAsync(adminPage);

        Assert.Equal(0, dialogs);
    }

    [Fact]
    public void PayloadUserNames_AreRefused() =>
        Assert.All(Payloads, payload => Assert.NotNull(DuckChat.Web.Accounts.UserNameRules.WhyInvalid(payload)));

    private static async Task NothingRanAsync(IPage page)
    {
        Assert.True(await page.EvaluateAsync<bool>("() => window.__x === undefined"), $"a payload ran on {page.Url}");
        Assert.Equal(0, await page.Locator(".message-body img, .message-body script, .chat-list img, td img, td script, td iframe").CountAsync());
    }
}
