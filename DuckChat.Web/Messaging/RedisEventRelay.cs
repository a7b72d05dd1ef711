using System.Text.Json;
using System.Threading.Channels;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Web.Messaging;

/// <summary>
/// Connects this instance to the Redis channel: runs the bus's sender (<see cref="RedisMessageBus.SendQueuedAsync"/>)
/// and feeds events from other instances to this instance's subscribers, each once (its own echo is ignored).
/// <para>
/// Plain pub/sub keeps nothing for a subscriber that was cut off, so after each trouble exactly the instances that
/// may have lost something tell their subscribers (<see cref="DeliveryResumed"/>) to re-read from the database:
/// </para>
/// <list type="bullet">
/// <item>This instance's subscription came back: it announces <see cref="Announcement.Missed"/> until it hears that
/// announcement itself (proof that it receives again), and then its own subscribers catch up. The others ignore it.</item>
/// <item>Another instance gave up publishing events: its <see cref="Announcement.Dropped"/> makes this instance's
/// subscribers catch up, unless a catch-up of this instance's own is still to come, which covers those events too
/// (they were saved before the announcement, which arrived before that catch-up's re-read).</item>
/// </list>
/// So a Redis restart makes each page re-read once: every instance missed, and what instances sent meanwhile is
/// published again rather than given up (unless it waited past <see cref="RedisOptions.ResendWindow"/>).
/// </summary>
public sealed class RedisEventRelay(
    InProcessMessageBus local, RedisMessageBus bus, RedisConnection redis, IOptions<RedisOptions> options, ILogger<RedisEventRelay> logger)
    : BackgroundService
{
    // How long to wait for an announcement to come back before announcing again: briefly at first (a new subscription
    // may not be in place yet when the first one passes), then longer.
    private static readonly TimeSpan FirstEchoWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestEchoWait = TimeSpan.FromSeconds(2);

    // A restore of the subscription not yet handled; one is enough however many happened, since one catch-up after
    // the last of them covers them all.
    private readonly Channel<bool> _restored = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private TaskCompletionSource _echo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _catchUpComing; // from a restore of the subscription until this instance's catch-up for it

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return;
        }

        await Task.Yield(); // connecting may wait for Redis; start-up does not
        var multiplexer = redis.Multiplexer;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        // A queue read by one loop, not a handler: the multiplexer runs each message's handler on the thread pool, in
        // no particular order, and order matters here (a state set twice, an announcement before a catch-up). Fire and
        // forget, because the multiplexer keeps the subscription and renews it on every reconnect, also when Redis is
        // away now (a subscribe that waited for an answer would then throw and leave the queue registered but unread).
        var messages = multiplexer.GetSubscriber().Subscribe(redis.EventsChannel, CommandFlags.FireAndForget);
        // Starting counts as a restore: events may pass by until the subscription is heard to work. (The multiplexer
        // also reports its first connections as restores, to whichever handlers are added by then; one that reaches
        // this handler during the start's own round joins it.)
        _catchUpComing = true;
        _restored.Writer.TryWrite(true);
        try
        {
            // Each loop ends only when stopping, or by a bug: then the others stop too, and its exception ends the relay
            // (and with it, by default, the host) rather than leaving the instance cut off without a word.
            using var ending = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task[] loops = [ReceiveAsync(messages, ending.Token), bus.SendQueuedAsync(ending.Token), CatchUpAfterRestoresAsync(ending.Token)];
            await Task.WhenAny(loops);
            await ending.CancelAsync();
            await Task.WhenAll(loops);
        }
        finally
        {
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await messages.UnsubscribeAsync(CommandFlags.FireAndForget);
        }
    }

    private async Task ReceiveAsync(ChannelMessageQueue messages, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                OnMessage((await messages.ReadAsync(stopping)).Message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnMessage(RedisValue value)
    {
        RedisEnvelope? envelope;
        try
        {
            envelope = RedisEnvelope.FromBytes((byte[])value!);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            logger.LogWarning(e, "Ignored an event on the Redis channel that this version does not understand");
            return;
        }

        if (envelope is null)
        {
            return;
        }

        var mine = envelope.Origin == redis.InstanceId;
        switch (envelope)
        {
            case { Topic: { } topic } when !mine:
                local.Publish(topic, envelope.Event);
                break;
            case { Topic: null, Announcement: Announcement.Missed } when mine:
                Volatile.Read(ref _echo).TrySetResult();
                break;
            case { Topic: null, Announcement: not Announcement.Missed } when !mine && !_catchUpComing:
                local.PublishToEveryTopic(new DeliveryResumed());
                break;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _catchUpComing = true;
            _restored.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// After each restore of the subscription, announces <see cref="Announcement.Missed"/> until this instance hears it
    /// (again and again: the publishing connection may come back a while after the subscription), then
    /// tells its subscribers to catch up, unless the subscription was restored again meanwhile (then the next round's
    /// catch-up covers both).
    /// </summary>
    private async Task CatchUpAfterRestoresAsync(CancellationToken stopping)
    {
        var announcement = RedisEnvelope.Announce(redis.InstanceId, Announcement.Missed).ToBytes();
        try
        {
            while (await _restored.Reader.WaitToReadAsync(stopping))
            {
                _restored.Reader.TryRead(out _);
                _catchUpComing = true;
                var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _echo, echo);
                for (var wait = FirstEchoWait; ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestEchoWait.Ticks)))
                {
                    await bus.TryPublishAsync(announcement);
                    if (await HeardAsync(echo.Task, wait, stopping))
                    {
                        break;
                    }
                }

                if (_restored.Reader.TryPeek(out _))
                {
                    continue;
                }

                _catchUpComing = false;
                local.PublishToEveryTopic(new DeliveryResumed());
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static async Task<bool> HeardAsync(Task echo, TimeSpan wait, CancellationToken stopping)
    {
        try
        {
            await echo.WaitAsync(wait, stopping);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
