using System.Text.Json;
using DuckChat.Web.Configuration;
using DuckChat.Web.Management;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Web.Health;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddDuckChatHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<HealthOptions>("Health");
        // One instance, so its answer is shared by every caller (health checks are otherwise made per run).
        builder.Services.AddSingleton<DatabaseHealthCheck>();
        builder.Services.AddSingleton<FileStoreHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag])
            .AddCheck<FileStoreHealthCheck>("files", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// /health/live: the process answers. /health/ready: it can serve (database reachable and migrated, old messages indexed for search; Degraded while
    /// Redis or the file store is away). Both on the management listener when one is set, else on the public port.
    /// </summary>
    public static WebApplication MapDuckChatHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").RequireManagementListener().AllowAnonymous();
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
