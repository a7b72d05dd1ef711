using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
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
        // Markdown's own ways in: link and autolink schemes, entities, reference links, HTML blocks, code fences.
        "[x](JaVaScRiPt:window.__x=1)",
        "[x](jav&#x61;script:window.__x=1)",
        "[x](&#106;avascript:window.__x=1)",
        "[x](javascript&colon;window.__x=1)",
        "[x](<javascript:window.__x=1>)",
        "<javascript:window.__x=1>",
        "<JAVASCRIPT:window.__x=1>",
        "[x][evil]\n\n[evil]: javascript:window.__x=1",
        "[evil]\n\n[evil]: data:text/html,<script>window.__x=1</script>",
        "![x](javascript:window.__x=1)",
        "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194PTE8L3NjcmlwdD4=)",
        "[x](vbscript:window.__x=1)",
        "[x](https://ok.example\" onclick=\"window.__x=1)",
        "<div>\n<script>window.__x=1</script>\n</div>",
        "<details open ontoggle=window.__x=1>\n\n**inside**\n\n</details>",
        "**<img src=x onerror=window.__x=1>**",
        "`<img src=x onerror=window.__x=1>`",
        "```html onload=window.__x=1\n<script>window.__x=1</script>\n```",
        "&#x3C;script&#x3E;window.__x=1&#x3C;/script&#x3E;",
        "> <iframe src=javascript:window.__x=1>",
    ];

    [Fact]
    public async Task Payloads_ShowAsText_AndNoneRuns_InChatListAndAdminTables()
    {
        var alice = await app.CreatePersonAsync("xss-alice");
        var bob = await app.CreateUserAsync("xss-bob");
        var admin = await app.CreateUserAsync("xss-admin");
        await app.MakeAdminAsync(admin);
        // Two chats, so that each shows all of its payloads in its first page.
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync("xss-bob")).ChatId;
        var secondChatId = (await app.ServiceFor<GroupService>(alice).CreateAsync("more payloads", [bob.Id])).ChatId;
        var chats = new[] { (Id: chatId, Payloads: Payloads[..26]), (Id: secondChatId, Payloads: Payloads[26..]) };
        var actions = app.ServiceFor<MessageActions>(alice);
        foreach (var chat in chats)
        {
            for (var i = 0; i < chat.Payloads.Length; i++)
            {
                // Every other payload arrives by an edit, which renders through the same path as a send.
                var sent = await app.ChatServiceFor(alice).SendAsync(chat.Id, i % 2 == 0 ? chat.Payloads[i] : "to be edited", Guid.NewGuid());
                Assert.True(sent.Succeeded);
                if (i % 2 == 1)
                {
                    Assert.True((await actions.EditAsync(chat.Id, sent.Message!.Id, chat.Payloads[i])).Succeeded);
                }
            }

            // What was written is kept exactly; what is shown (below) is its Markdown's plain rendering.
            Assert.Equal(chat.Payloads, (await app.ChatServiceFor(alice).GetHistoryAsync(chat.Id)).Where(m => m.Kind == MessageKind.Text).Select(m => m.Body));
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
        foreach (var chat in chats)
        {
            var preview = "xss-alice: " + new DuckChat.Web.Chats.Formatting.MessageFormatter().Excerpt(chat.Payloads[^1], 120);
            await Assertions.Expect(bobPage.Locator(".chat-list-preview", new() { HasTextString = preview })).ToHaveCountAsync(1);
        }

        Assert.All(groupNames, name => Assert.Contains(name, listNames));
        await NothingRanAsync(bobPage);

        foreach (var chat in chats)
        {
            await bobPage.OpenAsync($"/chats/{chat.Id}");
            await Eventually.TrueAsync(async () => (await bobPage.MessageTextsAsync()).Count >= chat.Payloads.Length, because: "the payloads to show");
            Assert.Equal(chat.Payloads.Select(ChatPageExtensions.PlainRendering), (await bobPage.MessageTextsAsync()).TakeLast(chat.Payloads.Length).Select(ChatPageExtensions.Normalized));
            await bobPage.ExpectOnlySafeLinksAsync();
            Assert.Matches(@"^(\(\d+\) )?DuckChat$", await bobPage.TitleAsync()); // the title never carries what people wrote
            await NothingRanAsync(bobPage);
        }

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
        Assert.Equal(0, await page.Locator(".message-body :is(img, script, iframe, object, embed, style, details, [style], [onerror], [onclick]), .chat-list img, td img, td script, td iframe").CountAsync());
    }
}
