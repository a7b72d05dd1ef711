using DuckChat.Web.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Web.Health;

/// <summary>
/// Redis down is Degraded, not Unhealthy: this instance still saves and shows every message (the proxy should keep
/// sending people here); only other instances' pages wait until Redis is back and they catch up.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!redis.Options.IsConfigured ? HealthCheckResult.Healthy("Redis is not configured: one instance, events in-process.")
            : redis.Multiplexer.IsConnected ? HealthCheckResult.Healthy("Redis is reachable: events cross instances.")
            : HealthCheckResult.Degraded("Redis is unreachable: messages are saved and shown here; other instances catch up when it is back."));
}
