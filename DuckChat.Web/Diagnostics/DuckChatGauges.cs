using System.Diagnostics;
using System.Diagnostics.Metrics;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// The instruments that read the app's state when observed (on every scrape and every export): the Redis connection
/// (a flag the connection keeps) and the background queues' depths (a count in the database, so it is taken at most
/// once every <see cref="CountEvery"/> and the last count answered in between).
/// </summary>
public sealed class DuckChatGauges : IDisposable
{
    private static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(10);

    private readonly Meter _meter;
    private readonly IDbContextFactory<ChatDbContext> _factory;
    private readonly ILogger<DuckChatGauges> _logger;
    private readonly Lock _counting = new();
    private Measurement<long>[] _depths = [];
    private long _countedAt;

    public DuckChatGauges(IMeterFactory meters, IDbContextFactory<ChatDbContext> factory, RedisConnection redis, ILogger<DuckChatGauges> logger)
    {
        (_factory, _logger) = (factory, logger);
        _meter = meters.Create(DuckChatTelemetry.Name);
        _meter.CreateObservableGauge(DuckChatTelemetry.QueueDepth, QueueDepths, "{item}", "Background work waiting (push, mail), done or not yet due.");
        _meter.CreateObservableGauge(DuckChatTelemetry.RedisConnected,
            () => redis.Options.IsConfigured ? [new Measurement<int>(redis.IsConnected ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 while the Redis connection is up, 0 while it is down; absent without Redis.");
    }

    private Measurement<long>[] QueueDepths()
    {
        lock (_counting)
        {
            if (_countedAt == 0 || Stopwatch.GetElapsedTime(_countedAt) >= CountEvery)
            {
                _countedAt = Stopwatch.GetTimestamp();
                _depths = Count();
            }

            return _depths;
        }
    }

    private Measurement<long>[] Count()
    {
        try
        {
            using var db = _factory.CreateDbContext();
            return
            [
                new(db.PushDeliveries.LongCount(), new KeyValuePair<string, object?>(DuckChatTelemetry.QueueTag, "push")),
                new(db.QueuedMails.LongCount(), new KeyValuePair<string, object?>(DuckChatTelemetry.QueueTag, "mail")),
            ];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // The database is away: no depth is better than a stale one (health says why).
            _logger.LogDebug(e, "Could not count the queues for the metrics");
            return [];
        }
    }

    public void Dispose() => _meter.Dispose();
}
