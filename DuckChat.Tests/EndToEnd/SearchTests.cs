using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>
/// Searching in a browser: from the app bar's box to a hit, and from the hit into a 10,000-message chat at that
/// message, then scrolling both ways from there. Pages of 200 so that the way down to the live end takes a few loads.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Needle = "Quokka-7421 sits deep in the history";

    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Chat:HistoryPageSize"] = "200",
        ["DuckChat:Chat:MaxShownMessages"] = "600",
        ["DuckChat:Chat:SendBurst"] = "10000",
        ["DuckChat:Chat:SendPerSecond"] = "1000",
    });

    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task CtrlK_FindsAMessageDeepInABigChat_OpensItHighlighted_AndScrollsBothWaysToTheLiveEnd()
    {
        var reader = await _app.CreateUserAsync("deep-reader");
        var writer = await _app.CreatePersonAsync("deep-writer");
        var chatId = (await _app.ChatServiceFor(writer).OpenDirectChatAsync(reader.UserName!)).ChatId;
        await SendManyAsync(writer, chatId, 1, 7000);
        var needle = await SendAsync(writer, chatId, Needle);
        await SendManyAsync(writer, chatId, 7001, 9998);
        await SendAsync(writer, chatId, "the live end");
        var page = await ReaderPageAsync(reader);

        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search messages" });
        await Eventually.TrueAsync(async () =>
        {
            await page.Keyboard.PressAsync("Control+k"); // until the box's module has loaded
            return await box.EvaluateAsync<bool>("box => box === document.activeElement");
        }, because: "Ctrl+K to focus the search box");
        await Assertions.Expect(box).ToHaveValueAsync("");
        await page.Keyboard.TypeAsync("OKKA-74");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=OKKA-74$"));
        var hits = page.GetByRole(AriaRole.List, new() { Name = "Results" }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(hits).ToHaveCountAsync(1);
        await Assertions.Expect(hits.Locator("mark")).ToHaveTextAsync("okka-74");
        await Assertions.Expect(hits.Locator(".search-hit-text")).ToHaveTextAsync(Needle);
        await Assertions.Expect(box).ToHaveValueAsync("OKKA-74");

        await hits.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/chats/{chatId}\?at={needle.Seq}$"));
        var current = page.Locator(".message-list [aria-current='true']");
        await Assertions.Expect(current).ToContainTextAsync(Needle);
        await Assertions.Expect(current).ToHaveClassAsync(new Regex(@"\bhighlighted\b"));
        await Assertions.Expect(current).ToBeInViewportAsync();

        var oldest = await OldestShownAsync(page);
        await Eventually.TrueAsync(async () =>
        {
            await page.Locator(".message-list").EvaluateAsync("list => list.scrollTop = 0");
            return await OldestShownAsync(page) < oldest;
        }, because: "scrolling up to load older messages");

        await Eventually.TrueAsync(async () =>
        {
            await page.Locator(".message-list").EvaluateAsync("list => list.scrollTop = list.scrollHeight");
            return await page.Locator(".newer-sentinel").CountAsync() == 0;
        }, TimeSpan.FromSeconds(120), because: "scrolling down to reach the live end"); // a page at a time: slow on a busy machine
        await page.ExpectLastMessagesAsync(["f9998", "the live end"]);
        await Assertions.Expect(page.MessageBodies().Last).ToBeInViewportAsync();
    }

    [Fact]
    public async Task Slash_FocusesTheBox_OutsideTextFields_AndIsTypedInsideThem()
    {
        var reader = await _app.CreateUserAsync("slash-reader");
        var writer = await _app.CreatePersonAsync("slash-writer");
        var chatId = (await _app.ChatServiceFor(writer).OpenDirectChatAsync(reader.UserName!)).ChatId;
        var page = await ReaderPageAsync(reader);
        await page.OpenAsync($"/chats/{chatId}");
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search messages" });

        await page.MessageBox().FocusAsync();
        await page.Keyboard.TypeAsync("a/b");
        await Assertions.Expect(page.MessageBox()).ToBeFocusedAsync();
        await Assertions.Expect(page.MessageBox()).ToHaveValueAsync("a/b");

        await page.MessageBox().BlurAsync();
        await Eventually.TrueAsync(async () =>
        {
            await page.Keyboard.PressAsync("/");
            return await box.EvaluateAsync<bool>("box => box === document.activeElement");
        }, because: "/ to focus the search box");
        await Assertions.Expect(box).ToHaveValueAsync("");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResultsPage_WithItsSyntaxOpen_HasNoSeriousOrCriticalViolations(bool dark)
    {
        var prefix = dark ? "axe-dark" : "axe-light";
        var reader = await _app.CreateUserAsync($"{prefix}-reader");
        var writer = await _app.CreatePersonAsync($"{prefix}-writer");
        var chatId = (await _app.ChatServiceFor(writer).OpenDirectChatAsync(reader.UserName!)).ChatId;
        await SendAsync(writer, chatId, "the pond is **quiet** today, see https://pond.example");
        await SendAsync(writer, chatId, "a quieter pond");
        Assert.True((await _app.ServiceFor<AccountService>(reader).SetDarkModeAsync(dark)).Succeeded);
        var page = await ReaderPageAsync(reader);

        await page.GotoAsync("/search?q=quiet%20from%3A" + writer.UserName + "%20has%3Alink");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Results" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Filters" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search syntax" }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-syntax")).ToBeVisibleAsync();

        var result = await page.RunAxe();

        var failures = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private async Task<IPage> ReaderPageAsync(ApplicationUser reader)
    {
        var context = await browser.NewContextAsync(_app);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.LogInAsync(reader.UserName!);
        await page.WaitForInteractiveAsync();
        return page;
    }

    private static Task<long> OldestShownAsync(IPage page) =>
        page.EvaluateAsync<long>("() => Math.min(...[...document.querySelectorAll('.message-list [data-seq]')].map(r => Number(r.dataset.seq)))");

    /// <summary>Sends f<paramref name="first"/>..f<paramref name="last"/>, many at once (the writer commits them in groups).</summary>
    private async Task SendManyAsync(ApplicationUser writer, int chatId, int first, int last)
    {
        foreach (var chunk in Enumerable.Range(first, last - first + 1).Chunk(500))
        {
            await Task.WhenAll(chunk.Select(i => SendAsync(writer, chatId, $"f{i}")));
        }
    }

    private async Task<MessageView> SendAsync(ApplicationUser writer, int chatId, string text)
    {
        var sent = await _app.ChatServiceFor(writer).SendAsync(chatId, text, Guid.NewGuid());
        Assert.True(sent.Succeeded, sent.Error);
        return sent.Message!;
    }

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
