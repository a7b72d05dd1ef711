using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Web.Health;

/// <summary>
/// Ready means the database answers, has every migration this build expects, and (SQLite) can take its write lock:
/// a file locked by another process or made read-only serves reads but would refuse every message.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ChatDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending} database migrations are not applied.");
            }

            if (db.Database.IsSqlite())
            {
                db.Database.SetCommandTimeout(1);
                await db.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE; ROLLBACK;", cancellationToken);
            }

            return HealthCheckResult.Healthy("The database is reachable, up to date and writable.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached, or is locked or read-only.", e);
        }
    }
}
