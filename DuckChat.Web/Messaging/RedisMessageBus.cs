using System.Diagnostics;
using System.Threading.Channels;
using DuckChat.Web.Configuration;
using DuckChat.Web.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Web.Messaging;

/// <summary>
/// The bus of an instance that runs beside others: every event goes to this instance's subscribers at once and into
/// a queue that one sender (<see cref="SendQueuedAsync"/>, run by <see cref="RedisEventRelay"/>) publishes to
/// Redis in order, so a slow or absent Redis never holds up a send. What arrives from other instances is fed in by
/// the relay.
/// <para>
/// An event leaves the queue only when Redis has taken it. One that Redis did not take (the connection was down or
/// dropped under it) is published again, with those behind it, so Redis being away for a moment loses nothing and
/// costs the other instances no re-read. Once the oldest waiting event is older than
/// <see cref="RedisOptions.ResendWindow"/>, or <see cref="RedisOptions.MaxQueuedEvents"/> are waiting, every waiting event is given up and replaced by one
/// <see cref="Announcement.Dropped"/> announcement, after which the other instances re-read from the database.
/// </para>
/// </summary>
public sealed class RedisMessageBus(
    InProcessMessageBus local, RedisConnection redis, IOptions<RedisOptions> options, TimeProvider time, DuckChatMetrics metrics,
    ILogger<RedisMessageBus> logger)
    : IMessageBus
{
    /// <summary>
    /// Publishes issued together without waiting for each answer: one round trip per event would cap an instance at a
    /// few thousand events a second, and one message to a large group is an event per member.
    /// </summary>
    private const int PublishesInFlight = 128;

    /// <summary>While Redis refuses, how often the sender tries again (a refused publish fails at once, so this costs little).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });

    // Events published and neither taken by Redis nor given up (in the queue or the sender's hands): the bound on memory.
    private int _waiting;
    private int _overflowed; // set by a publish that found MaxQueuedEvents waiting; the sender takes it

    // The sender's alone (one loop): events taken from the queue and not yet taken by Redis, oldest first, and
    // whether events were given up and the other instances are still to be told.
    private readonly List<Queued> _unsent = [];
    private bool _dropped;

    public void Publish(string topic, BusEvent busEvent)
    {
        local.Publish(topic, busEvent);
        var queued = new Queued(new RedisEnvelope(redis.InstanceId, topic, busEvent).ToBytes(), time.GetTimestamp(), DuckChatTelemetry.CurrentSend());
        if (Interlocked.Increment(ref _waiting) > options.Value.MaxQueuedEvents || !_queue.Writer.TryWrite(queued))
        {
            // Full (or the sender has stopped): this event is lost for the other instances, so they must be told.
            Interlocked.Decrement(ref _waiting);
            Volatile.Write(ref _overflowed, 1);
        }
    }

    public IDisposable Subscribe(string topic, Func<BusEvent, Task> handler) => local.Subscribe(topic, handler);

    /// <summary>
    /// Publishes what is queued until <paramref name="stopping"/>; then once more what Redis takes at once, so events
    /// sent just before a shutdown still reach the other instances.
    /// </summary>
    public async Task SendQueuedAsync(CancellationToken stopping)
    {
        try
        {
            while (await HasWorkAsync(stopping))
            {
                if (!await SendRoundAsync())
                {
                    await Task.Delay(RetryDelay, time, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: fall through to the last round.
        }

        _queue.Writer.TryComplete();
        while (HasWorkNow && await SendRoundAsync())
        {
        }
    }

    /// <summary>
    /// Publishes one message now; false when Redis did not take it (the caller decides whether to try again). Events go
    /// through the queue; the relay's own announcements, which need no order, come here directly.
    /// </summary>
    public async Task<bool> TryPublishAsync(byte[] message)
    {
        try
        {
            await redis.Multiplexer.GetSubscriber().PublishAsync(redis.EventsChannel, message);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Redis did not take a message; it is tried again or given up");
            metrics.BusPublishFailures.Add(1);
            return false;
        }
    }

    private bool HasWorkNow => _unsent.Count > 0 || _dropped || Volatile.Read(ref _overflowed) != 0 || _queue.Reader.TryPeek(out _);

    private async Task<bool> HasWorkAsync(CancellationToken stopping) => HasWorkNow || await _queue.Reader.WaitToReadAsync(stopping);

    /// <summary>
    /// Announces what was given up, then publishes the queue's head in order; false when Redis did not take something.
    /// The announcement goes first: it covers everything given up before it, and what is still queued is younger.
    /// </summary>
    private async Task<bool> SendRoundAsync()
    {
        while (_unsent.Count < PublishesInFlight && _queue.Reader.TryRead(out var next))
        {
            _unsent.Add(next);
        }

        if (Interlocked.Exchange(ref _overflowed, 0) != 0)
        {
            GiveUpWaiting($"{options.Value.MaxQueuedEvents} were waiting already");
        }

        if (await AnnounceDroppedAsync() && await PublishUnsentAsync())
        {
            return true;
        }

        if (_unsent.Count > 0 && time.GetElapsedTime(_unsent[0].QueuedAt) > options.Value.ResendWindow)
        {
            GiveUpWaiting($"Redis did not take them within {options.Value.ResendWindow}");
        }

        return false;
    }

    private async Task<bool> AnnounceDroppedAsync()
    {
        if (!_dropped)
        {
            return true;
        }

        if (!await TryPublishAsync(RedisEnvelope.Announce(redis.InstanceId, Announcement.Dropped).ToBytes()))
        {
            return false;
        }

        _dropped = false;
        logger.LogInformation("Told the other instances to catch up on the events this one gave up");
        return true;
    }

    /// <summary>
    /// Publishes the taken events, issued together in order on one connection, so Redis takes them in order. After a
    /// refusal everything from the first refused event on stays, even what Redis took after it, and is published again:
    /// receiving an event twice does no harm (each sets a state or asks for a re-read), receiving an older one last would.
    /// </summary>
    private async Task<bool> PublishUnsentAsync()
    {
        if (_unsent.Count == 0)
        {
            return true;
        }

        using var span = _unsent.Any(queued => queued.Origin != default) && DuckChatTelemetry.Source.HasListeners()
            ? DuckChatTelemetry.Source.StartActivity(DuckChatTelemetry.PublishSpan, ActivityKind.Producer, default(ActivityContext),
                links: _unsent.Where(queued => queued.Origin != default).Select(queued => new ActivityLink(queued.Origin)))
            : null;
        var taken = await Task.WhenAll(_unsent.Select(queued => TryPublishAsync(queued.Message)));
        var firstRefused = Array.IndexOf(taken, false);
        var done = firstRefused < 0 ? taken.Length : firstRefused;
        _unsent.RemoveRange(0, done);
        Interlocked.Add(ref _waiting, -done);
        return firstRefused < 0;
    }

    /// <summary>Empties the queue and owes the other instances a <see cref="Announcement.Dropped"/> (sent before anything queued later).</summary>
    private void GiveUpWaiting(string reason)
    {
        var count = _unsent.Count;
        _unsent.Clear();
        while (_queue.Reader.TryRead(out _))
        {
            count++;
        }

        Interlocked.Add(ref _waiting, -count);
        _dropped = true;
        logger.LogWarning("Gave up publishing {Count} events ({Reason}); the other instances will catch up from the database", count, reason);
    }

    /// <param name="Origin">The span it was published under (a send's), which the publish to Redis links to.</param>
    private sealed record Queued(byte[] Message, long QueuedAt, ActivityContext Origin);
}
