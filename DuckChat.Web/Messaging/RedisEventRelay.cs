using System.Text.Json;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Web.Messaging;

/// <summary>
/// Feeds events from other instances (the Redis channel) to this instance's subscribers, each once: its own echo
/// is ignored. Plain pub/sub keeps nothing for an instance that was cut off, so whenever the subscription comes
/// back this instance announces it on the channel; when that announcement comes back to it (proof that it
/// receives again) its subscribers are told to re-read from the database, and so are those of every other
/// instance, which may have missed what this one sent meanwhile.
/// </summary>
public sealed class RedisEventRelay(
    InProcessMessageBus local, RedisMessageBus bus, RedisConnection redis, IOptions<RedisOptions> options, ILogger<RedisEventRelay> logger)
    : BackgroundService
{
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(2);

    private TaskCompletionSource _echo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return;
        }

        _stopping = stoppingToken;
        await Task.Yield(); // connecting may wait for Redis; start-up does not
        var multiplexer = redis.Multiplexer;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        var subscriber = multiplexer.GetSubscriber();
        try
        {
            // The multiplexer keeps the subscription and renews it on every reconnect, also when this first
            // attempt fails because Redis is away; subscribing again would add a second handler.
            await subscriber.SubscribeAsync(redis.EventsChannel, OnMessage);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Not subscribed to Redis yet ({Reason}); the subscription is made when Redis is reachable", e.Message);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await subscriber.UnsubscribeAsync(redis.EventsChannel, OnMessage, CommandFlags.FireAndForget);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
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

        switch (envelope)
        {
            case { Topic: null, Event: DeliveryResumed resumed }:
                if (envelope.Origin == redis.InstanceId)
                {
                    _echo.TrySetResult();
                }

                local.PublishToEveryTopic(resumed);
                break;
            case { Topic: { } topic } when envelope.Origin != redis.InstanceId:
                local.Publish(topic, envelope.Event);
                break;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _ = AnnounceResumedAsync();
        }
    }

    /// <summary>
    /// Announces until this instance hears its own announcement (the next restore starts over). The interactive
    /// connection may come back a moment after the subscription, so failed announcements are simply repeated.
    /// </summary>
    private async Task AnnounceResumedAsync()
    {
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _echo, echo).TrySetCanceled();
        var announcement = new RedisEnvelope(redis.InstanceId, null, new DeliveryResumed());
        while (!_stopping.IsCancellationRequested && !echo.Task.IsCompleted)
        {
            await bus.SendAsync(announcement);
            try
            {
                await echo.Task.WaitAsync(EchoWait, _stopping);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Not heard yet: announce again.
            }
        }
    }
}
