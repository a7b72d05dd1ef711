using StackExchange.Redis;

namespace DuckChat.Web.Messaging;

/// <summary>
/// The bus of an instance that runs beside others: every event goes to this instance's subscribers at once and to
/// Redis in the background, so a slow or absent Redis never holds up a send. What arrives from other instances is
/// fed in by <see cref="RedisEventRelay"/>.
/// </summary>
public sealed class RedisMessageBus(InProcessMessageBus local, RedisConnection redis, ILogger<RedisMessageBus> logger) : IMessageBus
{
    public void Publish(string topic, BusEvent busEvent)
    {
        local.Publish(topic, busEvent);
        _ = SendAsync(new RedisEnvelope(redis.InstanceId, topic, busEvent));
    }

    public IDisposable Subscribe(string topic, Func<BusEvent, Task> handler) => local.Subscribe(topic, handler);

    /// <summary>Publishes to the channel; a failure is only logged: the other instances catch up from the database when Redis is back.</summary>
    public async Task SendAsync(RedisEnvelope envelope)
    {
        try
        {
            await redis.Multiplexer.GetSubscriber().PublishAsync(redis.EventsChannel, envelope.ToBytes());
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogDebug(e, "An event for {Topic} did not reach Redis", envelope.Topic);
        }
    }
}
