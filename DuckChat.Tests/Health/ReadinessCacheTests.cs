using System.Data.Common;
using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Health;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Tests.Health;

/// <summary>
/// Readiness is anonymous and may be asked by anyone, as often as they like: the database must not feel it. Each
/// test has an app of its own, so the probes it counts are its own.
/// </summary>
public sealed class ReadinessCacheTests
{
    [Fact]
    public async Task ReadinessFlood_DuringSends_TakesTheWriteLockAtMostOncePerPeriod()
    {
        // Arrange: a period longer than the test, so every answer after the first comes from it.
        await using var app = new ProbeCountingAppFactory(cacheFor: "00:01:00");
        var alice = await app.CreateUserAsync("flood-alice");
        await app.CreateUserAsync("flood-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("flood-bob")).ChatId;
        using var client = app.CreateHttpClient();

        // Act: 200 readiness calls from 8 callers at once, while 20 messages are sent.
        var flood = Enumerable.Range(0, 8).Select(async _ =>
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 25; i++)
            {
                using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }).ToList();
        var sends = new List<bool>();
        for (var i = 0; i < 20; i++)
        {
            sends.Add((await chats.SendAsync(chatId, $"message {i}", Guid.NewGuid())).Succeeded);
        }

        var answers = (await Task.WhenAll(flood)).SelectMany(s => s).ToList();

        // Assert
        Assert.All(sends, Assert.True);
        Assert.Equal(20, (await chats.GetHistoryAsync(chatId)).Count);
        Assert.Equal(200, answers.Count(status => status == HttpStatusCode.OK));
        Assert.True(app.Probes.Count <= 1, $"The write lock was taken by {app.Probes.Count} readiness probes.");
    }

    [Fact]
    public async Task ConcurrentReadinessCalls_WhileAnotherProcessHoldsTheWriteLock_OneProbeWaitsForIt()
    {
        // Arrange: the default period.
        await using var app = new ProbeCountingAppFactory(cacheFor: null);
        using var client = app.CreateHttpClient();
        await using var holder = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "duckchat.db")}");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(holder, "BEGIN IMMEDIATE;");

        // Act: 40 callers at once while the lock is held elsewhere.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            return response.StatusCode;
        }));
        var probesWhileLocked = app.Probes.Count;
        await ExecuteAsync(holder, "ROLLBACK;");

        // Assert: all were told the truth by probes that never queued up on the lock; the next period probes again.
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Equal(1, app.Probes.MostAtOnce);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }, because: "readiness to probe again after its period, once the lock is free");
        Assert.True(app.Probes.Count > probesWhileLocked);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The app, counting the readiness write probes its database sees.</summary>
    private sealed class ProbeCountingAppFactory(string? cacheFor) : DuckChatAppFactory(cacheFor is null
        ? new Dictionary<string, string?>()
        : new Dictionary<string, string?> { ["DuckChat:Health:CacheFor"] = cacheFor })
    {
        public ProbeCounter Probes { get; } = new();

        protected override IReadOnlyList<IInterceptor> DatabaseInterceptors => [Probes];
    }

    /// <summary>Counts the write probes, and the most that ran at once.</summary>
    private sealed class ProbeCounter : DbCommandInterceptor
    {
        private int _count;
        private int _running;
        private int _mostAtOnce;

        public int Count => Volatile.Read(ref _count);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (IsProbe(command))
            {
                Interlocked.Increment(ref _count);
                var running = Interlocked.Increment(ref _running);
                int most;
                while (running > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, running, most) != most)
                {
                }
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<int> NonQueryExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Ended(command);
            return base.NonQueryExecutedAsync(command, eventData, result, cancellationToken);
        }

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Ended(command);
            return base.CommandFailedAsync(command, eventData, cancellationToken);
        }

        private void Ended(DbCommand command)
        {
            if (IsProbe(command))
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static bool IsProbe(DbCommand command) => command.CommandText == DatabaseHealthCheck.WriteProbe;
    }
}
