using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>
/// The chat page's window of messages: bounded however it is paged, opened at a message, and back at the live end
/// with nothing lost or doubled. Small pages and a small window, so that a hundred messages cross every edge.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MessageWindowTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int MaxShown = 30;

    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Chat:MaxShownMessages"] = MaxShown.ToString(),
        ["DuckChat:Chat:HistoryPageSize"] = "10",
        ["DuckChat:Chat:SendBurst"] = "10000",
        ["DuckChat:Chat:SendPerSecond"] = "1000",
    });

    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task ScriptPressingLoadOlder_NeverShowsMoreThanMaxShown_AndJumpToNewestGoesLiveAgain()
    {
        var (page, _, writer, chatId) = await ReaderOpensAsync("older", 100, "");
        await page.ExpectLastMessagesAsync(["w99", "w100"]);
        await CountRowsAsync(page);

        await Eventually.TrueAsync(async () =>
        {
            // As a script would: press the button many times at once, again and again.
            await page.EvaluateAsync("() => { for (let i = 0; i < 5; i++) document.querySelector('.history-sentinel button')?.click(); }");
            return (await page.MessageTextsAsync()).FirstOrDefault() == "w1";
        }, because: "the first message to load");

        Assert.Equal(Texts(1, MaxShown), await page.MessageTextsAsync());
        Assert.InRange(await page.EvaluateAsync<int>("() => window.__mostRows"), 10, MaxShown);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load newer messages" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Jump to newest" }).ClickAsync();
        await page.ExpectLastMessagesAsync(["w99", "w100"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Jump to newest" })).ToHaveCountAsync(0);
        await SendAsync(writer, chatId, "live again");
        await page.ExpectLastMessagesAsync(["w99", "w100", "live again"]);
        await Assertions.Expect(page.MessageBodies().Last).ToBeInViewportAsync();
    }

    [Fact]
    public async Task OpenedAtASeq_HighlightsIt_ReadsNoFurther_AndScrollingDownReachesTheLiveEnd()
    {
        var (page, reader, writer, chatId) = await ReaderOpensAsync("at", 100, "?at=40");

        var current = page.Locator(".message-list [aria-current='true']");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToContainTextAsync("w40");
        await Assertions.Expect(current).ToHaveClassAsync(new Regex(@"\bhighlighted\b"));
        await Assertions.Expect(current).ToBeInViewportAsync();
        Assert.Equal(Texts(30, 50), await page.MessageTextsAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Jump to newest" })).ToBeVisibleAsync();
        // Read up to the last message shown, and not past it.
        Assert.Equal(50, await Eventually.GetAsync(() => ReadSeqAsync(reader, chatId), seq => seq >= 50, because: "the read position to move"));
        await CountRowsAsync(page);

        await SendAsync(writer, chatId, "w101"); // beyond the window: counted, not shown
        await Eventually.TrueAsync(async () =>
        {
            await page.Locator(".message-list").EvaluateAsync("list => list.scrollTop = list.scrollHeight");
            return await page.Locator(".newer-sentinel").CountAsync() == 0;
        }, TimeSpan.FromSeconds(60), because: "scrolling down to reach the live end"); // a page at a time: slow on a busy machine

        await page.ExpectLastMessagesAsync(Texts(90, 101));
        await SendAsync(writer, chatId, "w102");
        await page.ExpectLastMessagesAsync(Texts(90, 102));
        Assert.InRange(await page.EvaluateAsync<int>("() => window.__mostRows"), 21, MaxShown);
        Assert.Equal(102, await Eventually.GetAsync(() => ReadSeqAsync(reader, chatId), seq => seq >= 102, because: "the live messages to be read"));
    }

    [Fact]
    public async Task OpenedAtAMissingSeq_ShowsTheNewest_AndAnOutsiderSeesChatNotFound()
    {
        var (page, _, _, chatId) = await ReaderOpensAsync("missing", 12, "?at=13");
        var outsider = await _app.CreateUserAsync("missing-outsider");

        await Assertions.Expect(page.GetByText("That message is not in this chat")).ToBeVisibleAsync();
        await page.ExpectLastMessagesAsync(["w11", "w12"]);
        await Assertions.Expect(page.Locator("[aria-current='true']")).ToHaveCountAsync(0);
        await page.OpenAsync($"/chats/{chatId}?at=quack");
        await Assertions.Expect(page.GetByText("That message is not in this chat")).ToBeVisibleAsync();

        await using var otherContext = await browser.NewContextAsync(_app);
        var other = await otherContext.NewPageAsync();
        await other.LogInAsync(outsider.UserName!);
        await other.GotoAsync($"/chats/{chatId}?at=5");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Chat not found" })).ToBeVisibleAsync();
        Assert.Equal(0, await other.Locator("[data-seq]").CountAsync());
    }

    /// <summary>A writer writes w1..w<paramref name="messages"/> to a reader, who opens the chat at <paramref name="query"/> in a browser.</summary>
    private async Task<(IPage Page, ApplicationUser Reader, ApplicationUser Writer, int ChatId)> ReaderOpensAsync(string prefix, int messages, string query)
    {
        var reader = await _app.CreateUserAsync($"{prefix}-reader");
        var writer = await _app.CreatePersonAsync($"{prefix}-writer");
        var chatId = (await _app.ChatServiceFor(writer).OpenDirectChatAsync(reader.UserName!)).ChatId;
        for (var i = 1; i <= messages; i++)
        {
            await SendAsync(writer, chatId, $"w{i}");
        }

        var context = await browser.NewContextAsync(_app);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.LogInAsync(reader.UserName!);
        await page.OpenAsync($"/chats/{chatId}{query}");
        return (page, reader, writer, chatId);
    }

    private async Task SendAsync(ApplicationUser writer, int chatId, string text) =>
        Assert.True((await _app.ChatServiceFor(writer).SendAsync(chatId, text, Guid.NewGuid())).Succeeded);

    private async Task<long> ReadSeqAsync(ApplicationUser reader, int chatId)
    {
        await using var db = await _app.CreateDbContextAsync();
        return await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == reader.Id).Select(m => m.LastReadSeq).SingleAsync();
    }

    /// <summary>From now on the page keeps the most rows its list has held at once in <c>window.__mostRows</c>.</summary>
    private static Task CountRowsAsync(IPage page) => page.EvaluateAsync("""
        () => {
            const list = document.querySelector('.message-list');
            const count = () => window.__mostRows = Math.max(window.__mostRows ?? 0, list.querySelectorAll('[data-seq]').length);
            count();
            new MutationObserver(count).observe(list, { childList: true, subtree: true });
        }
        """);

    private static List<string> Texts(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => $"w{i}").ToList();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        await _app.DisposeAsync();
    }
}
