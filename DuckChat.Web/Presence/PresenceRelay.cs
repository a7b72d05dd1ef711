using System.Threading.Channels;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Web.Presence;

/// <summary>
/// Carries presence between the <see cref="PresenceTracker"/> and everything outside this instance. Always: the
/// appear-offline switch, from whichever instance saved it. With Redis: this instance's people go into one Redis hash
/// (<c>&lt;prefix&gt;:presence:&lt;instance&gt;</c>: person → online, away or invisible, and the version it is at) that
/// expires unless the instance's heartbeat renews it, and each change is announced to the other instances; what they
/// announce comes back into the tracker, and an instance whose announcements do not follow on from what is known of it
/// (one new here, or events lost on the way) is read whole from its hash.
/// <para>
/// One loop writes to Redis, in the order the tracker numbered the changes, then announces them: a hash read at any
/// moment holds exactly the changes up to its version. A write that fails is not retried piecemeal: the loop writes the
/// whole state afresh, and the others read it whole when its heartbeat says it is ahead of what they know.
/// </para>
/// </summary>
public sealed class PresenceRelay(
    PresenceTracker tracker, IMessageBus bus, RedisConnection redis, IOptions<PresenceOptions> options, TimeProvider time, ILogger<PresenceRelay> logger)
    : BackgroundService
{
    private const string VersionField = "$version";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // A heartbeat wanted now (a new instance spoke, or events were lost); one waiting is enough.
    private readonly Channel<bool> _beatNow = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private long _written; // the loop's: the version Redis holds
    private bool _stale = true; // the loop's: Redis may not hold this instance's state (never written, or a write failed)

    private TimeSpan BeatEvery => options.Value.SweepEvery;

    private RedisKey KeyOf(Guid instance) => $"{redis.Options.KeyPrefix}:presence:{instance:N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = bus.Subscribe(PresenceTopics.Cluster, OnClusterEventAsync);
        stoppingToken.Register(subscription.Dispose);
        if (tracker.Changes is not { } changes)
        {
            return;
        }

        await Task.Yield(); // connecting may wait for Redis; start-up does not
        try
        {
            await WriteAsync(changes, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the others forget this instance's people at once rather than at expiry.
            bus.Publish(PresenceTopics.Cluster, new InstanceStopped(redis.InstanceId));
            await TryAsync(db => db.KeyDeleteAsync(KeyOf(redis.InstanceId)));
        }
    }

    private async Task WriteAsync(ChannelReader<LocalPresenceChange> changes, CancellationToken stopping)
    {
        long? lastBeat = null;
        while (true)
        {
            if (_stale && !await WriteWholeAsync())
            {
                await Task.Delay(RetryDelay, time, stopping);
                continue;
            }

            var untilBeat = lastBeat is { } last ? BeatEvery - time.GetElapsedTime(last) : TimeSpan.Zero;
            if (untilBeat <= TimeSpan.Zero || _beatNow.Reader.TryRead(out _))
            {
                await BeatAsync();
                lastBeat = time.GetTimestamp();
                continue;
            }

            var batch = new List<LocalPresenceChange>();
            while (changes.TryRead(out var change))
            {
                if (change.Version > _written)
                {
                    batch.Add(change);
                }
            }

            if (batch.Count > 0)
            {
                await WriteChangesAsync(batch);
                continue;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            await Task.WhenAny(changes.WaitToReadAsync(wake.Token).AsTask(), _beatNow.Reader.WaitToReadAsync(wake.Token).AsTask(), Task.Delay(untilBeat, time, wake.Token));
            await wake.CancelAsync();
            stopping.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Writes a run of changes in one transaction, then announces them.</summary>
    private async Task WriteChangesAsync(List<LocalPresenceChange> batch)
    {
        var latest = batch.GroupBy(c => c.UserId).Select(g => g.Last()).ToList();
        var version = batch[^1].Version;
        var (answered, committed) = await TryAsync(db =>
        {
            var key = KeyOf(redis.InstanceId);
            var transaction = db.CreateTransaction();
            var removed = latest.Where(c => c.State is null).Select(c => (RedisValue)c.UserId).ToArray();
            if (removed.Length > 0)
            {
                _ = transaction.HashDeleteAsync(key, removed);
            }

            _ = transaction.HashSetAsync(key, [.. latest.Where(c => c.State is not null).Select(c => new HashEntry(c.UserId, Encode(c.State!.Value))), new HashEntry(VersionField, version)]);
            _ = transaction.KeyExpireAsync(key, options.Value.Expiry);
            return transaction.ExecuteAsync();
        });
        if (!answered || !committed)
        {
            _stale = true;
            return;
        }

        bus.Publish(PresenceTopics.Cluster, new InstancePresenceChanged(
            redis.InstanceId, _written, version, [.. latest.Select(c => new PresenceEntry(c.UserId, c.State))]));
        _written = version;
    }

    /// <summary>Replaces this instance's hash with its whole state (after a failed write, or when Redis lost it).</summary>
    private async Task<bool> WriteWholeAsync()
    {
        var (version, people) = tracker.LocalSnapshot();
        var (answered, committed) = await TryAsync(db =>
        {
            var key = KeyOf(redis.InstanceId);
            var transaction = db.CreateTransaction();
            _ = transaction.KeyDeleteAsync(key);
            _ = transaction.HashSetAsync(key, [.. people.Select(p => new HashEntry(p.UserId, Encode(p.State!.Value))), new HashEntry(VersionField, version)]);
            _ = transaction.KeyExpireAsync(key, options.Value.Expiry);
            return transaction.ExecuteAsync();
        });
        var written = answered && committed;
        if (written)
        {
            (_written, _stale) = (version, false);
            _beatNow.Writer.TryWrite(true); // the others learn the new version and read it whole
        }

        return written;
    }

    /// <summary>Renews this instance's hash (rewriting it when Redis no longer has it) and tells the others it is alive.</summary>
    private async Task BeatAsync()
    {
        var (answered, renewed) = await TryAsync(db => db.KeyExpireAsync(KeyOf(redis.InstanceId), options.Value.Expiry));
        if (!answered || (!renewed && !await WriteWholeAsync()))
        {
            return;
        }

        bus.Publish(PresenceTopics.Cluster, new InstanceAlive(redis.InstanceId, _written));
    }

    /// <summary>Events on the cluster topic, in order (a read of an instance's whole state holds up the events after it).</summary>
    private async Task OnClusterEventAsync(BusEvent busEvent)
    {
        switch (busEvent)
        {
            case AppearOfflineChanged changed:
                tracker.SetAppearOffline(changed.UserId, changed.AppearOffline);
                break;
            case InstanceAlive alive when alive.Instance != redis.InstanceId:
                var status = tracker.Heard(alive.Instance, alive.Version);
                if (status != RemoteStatus.Current)
                {
                    await ReadWholeAsync(alive.Instance);
                }

                if (status == RemoteStatus.New)
                {
                    _beatNow.Writer.TryWrite(true); // a new instance learns of this one without waiting for its beat
                }

                break;
            case InstancePresenceChanged changed when changed.Instance != redis.InstanceId && !tracker.Apply(changed):
                await ReadWholeAsync(changed.Instance);
                break;
            case InstanceStopped stopped when stopped.Instance != redis.InstanceId:
                tracker.Forget(stopped.Instance);
                break;
            case DeliveryResumed when tracker.Changes is not null:
                tracker.RequireSnapshots();
                _beatNow.Writer.TryWrite(true);
                break;
        }
    }

    private async Task ReadWholeAsync(Guid instance)
    {
        var (answered, entries) = await TryAsync(db => db.HashGetAllAsync(KeyOf(instance)));
        if (!answered)
        {
            return; // the instance's next heartbeat tries again
        }

        var version = entries.Where(e => e.Name == VersionField).Select(e => (long)e.Value).FirstOrDefault();
        var people = entries.Where(e => e.Name != VersionField && Decode(e.Value) is not null).Select(e => new PresenceEntry(e.Name!, Decode(e.Value))).ToList();
        tracker.ApplySnapshot(instance, version, people);
    }

    /// <summary>Runs a command; not answered when Redis is away (the caller tries again later, in its own way).</summary>
    private async Task<(bool Answered, T Value)> TryAsync<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return (true, await command(redis.Multiplexer.GetDatabase()));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Redis did not take a presence command; it is tried again");
            return (false, default!);
        }
    }

    private static string Encode(InstancePresence state) => state.ToString().ToLowerInvariant();

    private static InstancePresence? Decode(RedisValue value) => Enum.TryParse<InstancePresence>(value.ToString(), ignoreCase: true, out var state) ? state : null;
}
