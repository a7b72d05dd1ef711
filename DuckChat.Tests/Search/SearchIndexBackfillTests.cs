using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Tests.Search;

public sealed class SearchIndexBackfillTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MessagesFromBeforeSearch_AreIndexedAtStart_AndReadinessWaitsForIt()
    {
        var alice = await app.CreatePersonAsync("bf-alice");
        var bob = await app.CreatePersonAsync("bf-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var kept = (await app.ChatServiceFor(alice).SendAsync(chatId, "bf-kept **bold**", Guid.NewGuid())).Message!;
        var deleted = (await app.ChatServiceFor(alice).SendAsync(chatId, "bf-deleted", Guid.NewGuid())).Message!;
        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(chatId, deleted.Id)).Succeeded);
        await using (var db = await app.CreateDbContextAsync())
        {
            // As a database migrated from before search: the column is there, empty.
            await db.Messages.Where(m => m.ChatId == chatId).ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, (string?)null), Ct);
        }

        var backfill = ActivatorUtilities.CreateInstance<SearchIndexBackfill>(app.Services);
        var readiness = new SearchIndexHealthCheck(backfill);
        Assert.Equal(HealthStatus.Unhealthy, (await readiness.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);

        await backfill.StartAsync(Ct);
        await Eventually.TrueAsync(() => Task.FromResult(backfill.IsDone), because: "the backfill finishes");
        await backfill.StopAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, (await readiness.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(Ct);
        await using var check = await app.CreateDbContextAsync();
        Assert.Equal("bf-kept bold", await check.Messages.Where(m => m.Id == kept.Id).Select(m => m.SearchText).SingleAsync(Ct));
        Assert.Null(await check.Messages.Where(m => m.Id == deleted.Id).Select(m => m.SearchText).SingleAsync(Ct));
        Assert.Equal([kept.Id], await SearchIndexTests.MatchAsync(check, "bf-kept"));
        Assert.Empty(await SearchIndexTests.MatchAsync(check, "bf-deleted"));
    }

    [Fact]
    public async Task ASearch_WhileTheBackfillRuns_SaysSomeMessagesMayBeMissing()
    {
        var alice = await app.CreatePersonAsync("bfsearch-alice");
        using var running = ActivatorUtilities.CreateInstance<SearchIndexBackfill>(app.Services);

        var during = await app.ServiceFor<MessageSearch>(alice, null, running).SearchAsync("anything", null, Ct);
        var after = await app.ServiceFor<MessageSearch>(alice).SearchAsync("anything", null, Ct);

        Assert.Equal((SearchOutcome.Found, true), (during.Outcome, during.StillIndexing));
        Assert.Equal((SearchOutcome.Found, false), (after.Outcome, after.StillIndexing));
    }

    [Fact]
    public async Task TheAppsReadiness_IncludesTheSearchIndex_AndIsHealthyOnceFilled()
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "search-index", Ct);

        Assert.Equal(HealthStatus.Healthy, Assert.Single(report.Entries).Value.Status);
    }
}

public sealed class RebuildSearchIndexCommandTests
{
    [Fact]
    public async Task Rebuild_MakesEverySearchTextAndTheIndexAgain_AndFailsWithAMessageOnABrokenDatabase()
    {
        var dataDirectory = TestPaths.NewTempDirectory("rebuild");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
                ["DuckChat__Demo__Seed"] = "true",
            };
            await using (var first = AppProcess.Start(TestPaths.WebBuildOutput, environment, RebuildSearchIndexCommand.Argument))
            {
                Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, first.Output);
            }

            var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite($"Data Source={Path.Combine(dataDirectory, "duckchat.db")}").Options;
            await using (var db = new SqliteChatDbContext(options))
            {
                // Break both: every SearchText stale, and the index emptied.
                await db.Messages.ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, "stale"), TestContext.Current.CancellationToken);
                await db.Database.ExecuteSqlRawAsync("""INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('delete-all')""", TestContext.Current.CancellationToken);
            }

            SqliteConnection.ClearAllPools();
            await using (var rebuild = AppProcess.Start(TestPaths.WebBuildOutput, environment, RebuildSearchIndexCommand.Argument))
            {
                Assert.True(await rebuild.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, rebuild.Output);
            }

            await using (var db = new SqliteChatDbContext(options))
            {
                var messages = await db.Messages.ToListAsync(TestContext.Current.CancellationToken);
                Assert.NotEmpty(messages);
                Assert.All(messages, m => Assert.Equal(SearchText.ForIndex(m.Body, m.Kind, m.DeletedAt != null), m.SearchText));
                var text = messages.First(m => m.SearchText is { Length: >= 3 }).SearchText![..3];
                Assert.NotEmpty(await SearchIndexTests.MatchAsync(db, text));
                Assert.Empty(await SearchIndexTests.MatchAsync(db, "stale"));
                await SearchIndexTests.AssertIndexMatchesMessagesAsync(db);
            }

            SqliteConnection.ClearAllPools();
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, "duckchat.db"), "not a database", TestContext.Current.CancellationToken);
            await using var broken = AppProcess.Start(TestPaths.WebBuildOutput, environment, RebuildSearchIndexCommand.Argument);
            Assert.Equal(1, await broken.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("The search index was not rebuilt", broken.Output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }
}
