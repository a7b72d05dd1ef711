using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Web.Messaging;

/// <summary>
/// The one Redis connection of this instance (a multiplexer is meant to be shared), made on first use. It never
/// fails the app when Redis is away: it connects in the background and keeps reconnecting, and commands issued
/// while it is down fail at once instead of queueing, because the database, not Redis, holds what was missed.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(options.Value, logger));

    public RedisOptions Options => options.Value;

    /// <summary>This process on the channel: an instance ignores the echo of its own events.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    /// <summary>Whether the connection is up now; false before it was first made (asking does not make it).</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsConnected;

    public RedisChannel EventsChannel => RedisChannel.Literal($"{Options.KeyPrefix}:events");

    public RedisKey KeyRingKey => $"{Options.KeyPrefix}:data-protection-keys";

    private static ConnectionMultiplexer Connect(RedisOptions settings, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(settings.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Try again every second rather than backing off to many seconds: pages elsewhere wait for the reconnect.
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        configuration.ClientName ??= $"duckchat-{Environment.MachineName}";
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        multiplexer.ConnectionFailed += (_, e) =>
            logger.LogWarning(e.Exception, "Redis connection lost ({FailureType}, {ConnectionType}): events do not cross instances until it is back", e.FailureType, e.ConnectionType);
        multiplexer.ConnectionRestored += (_, e) =>
            logger.LogInformation("Redis connection restored ({ConnectionType})", e.ConnectionType);
        if (!multiplexer.IsConnected)
        {
            logger.LogWarning("Redis at {Endpoints} is not reachable yet; retrying in the background", string.Join(", ", configuration.EndPoints));
        }

        return multiplexer;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
