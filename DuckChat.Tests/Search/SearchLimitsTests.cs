using System.Diagnostics;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Search;

/// <summary>A chat big enough that one search statement runs for a while: every message holds "://" but no web link.</summary>
public sealed class BigChatAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Chat:WriteBurst"] = "10000",
    ["DuckChat:Chat:WritePerSecond"] = "1000",
    ["DuckChat:Search:Timeout"] = "00:01:00",
})
{
    public const string Slow = "host has:link";

    private readonly SemaphoreSlim _seeding = new(1, 1);
    private ApplicationUser? _owner;

    /// <summary>The owner of the big chat, seeded on first use.</summary>
    public async Task<ApplicationUser> OwnerAsync()
    {
        await _seeding.WaitAsync();
        try
        {
            return _owner ??= await SeedAsync(this, "big");
        }
        finally
        {
            _seeding.Release();
        }
    }

    /// <summary>
    /// A person with one direct chat of 300,000 messages, written straight to the table, then indexed as the app indexes new messages;
    /// the oldest says "zq first".
    /// </summary>
    public static async Task<ApplicationUser> SeedAsync(DuckChatAppFactory app, string prefix)
    {
        var owner = await app.CreatePersonAsync($"{prefix}-owner");
        var other = await app.CreatePersonAsync($"{prefix}-other");
        var chatId = (await app.ChatServiceFor(owner).OpenDirectChatAsync(other.UserName!)).ChatId;
        await using var connection = new SqliteConnection(app.Services.GetRequiredService<DatabaseLocation>().ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
            INSERT INTO Messages (ChatId, Seq, Kind, SenderId, Body, SentAt, ClientMessageId, ChangeSeq, RemovedByAdmin, SearchText)
            SELECT $chat, i, 0, $owner, body, '2026-01-01 00:00:00', upper(hex(randomblob(16))), 0, 0, body
            FROM (SELECT i, CASE i WHEN 1 THEN 'zq first' ELSE 'row ' || i || ' at ftp://host/' || i END AS body FROM n)
            """;
        command.Parameters.AddWithValue("$chat", chatId);
        command.Parameters.AddWithValue("$owner", owner.Id);
        await command.ExecuteNonQueryAsync();
        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(CancellationToken.None);
        return owner;
    }
}

public sealed class SearchLimitsTests(BigChatAppFactory app) : IClassFixture<BigChatAppFactory>
{
    [Fact]
    public async Task CancelledSearch_StopsInsideTheStatement_AndTheNextSearchRuns()
    {
        var owner = await app.OwnerAsync();
        var full = Stopwatch.StartNew();
        var finished = await app.ServiceFor<MessageSearch>(owner).SearchAsync(BigChatAppFactory.Slow, null, TestContext.Current.CancellationToken);
        full.Stop();
        Assert.Equal((SearchOutcome.Found, 0), (finished.Outcome, finished.Hits.Count));

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(full.Elapsed / 10);
        var cancelledIn = Stopwatch.StartNew();
        var cancelled = await app.ServiceFor<MessageSearch>(owner).SearchAsync(BigChatAppFactory.Slow, null, cancel.Token);
        cancelledIn.Stop();

        Assert.Equal(SearchOutcome.Cancelled, cancelled.Outcome);
        Assert.True(cancelledIn.Elapsed < full.Elapsed / 2, $"cancelled after {cancelledIn.Elapsed}, a whole search takes {full.Elapsed}");
        var next = await app.ServiceFor<MessageSearch>(owner).SearchAsync("row 299999", null, TestContext.Current.CancellationToken);
        Assert.Equal(SearchOutcome.Found, next.Outcome);
        Assert.Single(next.Hits);
    }

    [Fact]
    public async Task NewSearchOfTheSameCircuit_CancelsTheOneRunning()
    {
        var owner = await app.OwnerAsync();
        var search = app.ServiceFor<MessageSearch>(owner);

        var first = search.SearchAsync(BigChatAppFactory.Slow, null, TestContext.Current.CancellationToken);
        var second = await search.SearchAsync("row 12345", null, TestContext.Current.CancellationToken);

        Assert.Equal(SearchOutcome.Cancelled, (await first).Outcome);
        Assert.Equal(SearchOutcome.Found, second.Outcome);
        Assert.Contains(second.Hits, hit => hit.Text.StartsWith("row 12345 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlowSearch_TimesOut()
    {
        await using var quick = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Search:Timeout"] = "00:00:00.100" });
        var owner = await BigChatAppFactory.SeedAsync(quick, "quick");

        var results = await quick.ServiceFor<MessageSearch>(owner).SearchAsync(BigChatAppFactory.Slow, null, TestContext.Current.CancellationToken);

        Assert.Equal(SearchOutcome.TimedOut, results.Outcome);
    }

    [Fact]
    public async Task Searches_CountAgainstThePersonsChangeBudget()
    {
        await using var strict = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Chat:WriteBurst"] = "2", ["DuckChat:Chat:WritePerSecond"] = "0.01",
        });
        var person = await strict.CreatePersonAsync("budget-person");
        var search = strict.ServiceFor<MessageSearch>(person);

        Assert.Equal(SearchOutcome.Found, (await search.SearchAsync("anything", null, TestContext.Current.CancellationToken)).Outcome);
        Assert.Equal(SearchOutcome.Found, (await search.SearchAsync("anything", null, TestContext.Current.CancellationToken)).Outcome);
        Assert.Equal(SearchOutcome.RateLimited, (await search.SearchAsync("anything", null, TestContext.Current.CancellationToken)).Outcome);
    }

    [Fact]
    public async Task ShortWord_ScansOnlyTheNewestMessages_WhileALongerOneFindsTheOldest()
    {
        var owner = await app.OwnerAsync();

        var shortOnly = await app.ServiceFor<MessageSearch>(owner).SearchAsync("zq", null, TestContext.Current.CancellationToken);
        var withLonger = await app.ServiceFor<MessageSearch>(owner).SearchAsync("zq first", null, TestContext.Current.CancellationToken);

        Assert.Equal((SearchOutcome.Found, true, 0), (shortOnly.Outcome, shortOnly.RecentOnly, shortOnly.Hits.Count));
        Assert.Equal((1L, false), (Assert.Single(withLonger.Hits).Seq, withLonger.RecentOnly));
    }
}
