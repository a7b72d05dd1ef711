using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats.Writing;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Deployment;

/// <summary>
/// Debian's prometheus scrapes the app's management listener (<c>/metrics</c>) with the repository's config, while
/// two people chat in browsers on an app with Redis; then every query of the Grafana dashboard (each panel's, each
/// template variable's) is asked of prometheus and must return data, as the dashboard would show it; and every counter
/// a panel shows the rate of must have moved from 0, so each panel's data comes from what the test did.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardQueryTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly RedisServerFixture _redis = new();
    private DuckChatAppFactory? _app;
    private PrometheusServer? _prometheus;

    [Fact]
    public async Task AfterChatting_EveryDashboardQuery_ReturnsData()
    {
        // Arrange
        PrometheusServer.RequireTools();
        _redis.RequireServer();
        var management = $"127.0.0.1:{TestPaths.FreePort()}";
        var app = _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Management:Urls"] = $"http://{management}",
            ["DuckChat:Telemetry:Prometheus"] = "true",
            ["DuckChat:Redis:Configuration"] = _redis.Configuration,
        });
        _prometheus = await PrometheusServer.StartAsync(management);
        var dashboard = GrafanaDashboard.Load();
        // Every panel's and variable's query, and that each series a panel rates has moved: what the chat did shows.
        var queries = dashboard.Queries(PrometheusServer.ScrapeInterval).Concat(dashboard.MovedCounters(PrometheusServer.ScrapeInterval)).ToList();

        // Act
        await ChatAsync(app);

        // Assert
        await _prometheus.WaitForTargetUpAsync(TimeSpan.FromSeconds(30));
        // Each query without data, one a line, and the series names prometheus has: the failure names them.
        var withoutData = await Eventually.GetAsync(async () => await WithoutDataAsync(queries), none => none.Length == 0,
            TimeSpan.FromSeconds(60), because: "every dashboard query to return data");
        Assert.Equal("", withoutData);
    }

    /// <summary>
    /// What each panel counts, done for real: sends seen live in another open page (deliveries, bus publishes, read
    /// positions), a send refused, a reconnect (a catch-up), a send while Redis refuses it (a publish failure) and a
    /// writer batch with one failing piece (a retry).
    /// </summary>
    private async Task ChatAsync(DuckChatAppFactory app)
    {
        var outsider = await app.CreatePersonAsync("outsider");
        var (alice, bob, bobConnection, chatId) = await browser.TwoPeopleInAChatAsync(app, "dashboard");

        await alice.SendAsync("hello, prometheus");
        await bob.ExpectLastMessagesAsync(["hello, prometheus"]);
        var refused = await app.ChatServiceFor(outsider).SendAsync(chatId, "not my chat", Guid.NewGuid());
        Assert.NotEqual(DuckChat.Web.Chats.SendOutcome.Sent, refused.Outcome);

        await bobConnection.CutAsync();
        await using (await _redis.ShutOutCommandConnectionsAsync())
        {
            await alice.SendAsync("while redis refuses");
            await bob.ExpectLastMessagesAsync(["hello, prometheus", "while redis refuses"]);
        }

        await FailOnePieceOfABatchAsync(app.Services.GetRequiredService<ChatWriter>());
        await bob.SendAsync("after it all");
        await alice.ExpectLastMessagesAsync(["hello, prometheus", "while redis refuses", "after it all"]);
    }

    /// <summary>
    /// The writer runs one change while two more queue behind it; one of those throws, which fails their shared
    /// transaction, so the writer runs each of them again on its own.
    /// </summary>
    private static async Task FailOnePieceOfABatchAsync(ChatWriter writer)
    {
        var release = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        var first = writer.ChangeAsync(async (_, _) =>
        {
            running.TrySetResult();
            await release.Task;
            return 1;
        });
        await running.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var failing = writer.ChangeAsync<int>((_, _) => throw new InvalidOperationException("a piece that fails"));
        var fine = writer.ChangeAsync((_, _) => Task.FromResult(3));
        release.SetResult();

        Assert.Equal(1, await first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(3, await fine);
    }

    private async Task<string> WithoutDataAsync(IReadOnlyList<DashboardQuery> queries)
    {
        var empty = new List<DashboardQuery>();
        foreach (var query in queries)
        {
            if ((await _prometheus!.QueryAsync(query.Expr)).Count == 0)
            {
                empty.Add(query);
            }
        }

        return empty.Count == 0 ? "" : $"{string.Join("\n", empty)}\nSeries prometheus has: {string.Join(", ", await _prometheus!.SeriesNamesAsync())}";
    }

    public ValueTask InitializeAsync() => _redis.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
