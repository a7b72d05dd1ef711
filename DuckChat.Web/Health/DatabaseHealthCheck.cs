using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Health;

/// <summary>
/// Ready means the database answers, has every migration this build expects, and (SQLite) can take its write lock:
/// a file locked by another process or made read-only serves reads but would refuse every message.
/// <para>
/// However often readiness is asked, the database sees at most one probe per <see cref="HealthOptions.CacheFor"/>
/// (<see cref="SharedProbe"/>). The probe holds the write lock only between two statements that write nothing, and waits for a
/// lock held elsewhere for at most <see cref="LockWait"/>, holding nothing meanwhile.
/// </para>
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ChatDbContext> factory, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>The write probe: takes SQLite's write lock and gives it back at once.</summary>
    public const string WriteProbe = "BEGIN IMMEDIATE; ROLLBACK;";

    /// <summary>
    /// The longest the probe waits for the database, the write lock included. A second is the shortest command
    /// timeout there is; SQLite's own wait is set to the same, so it waits in its fine steps and nothing retries after.
    /// </summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    private readonly SharedProbe _shared = new(() => options.Value.CacheFor, time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _shared.GetAsync(ProbeDatabaseAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeDatabaseAsync()
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            db.Database.SetCommandTimeout(LockWait);
            if (!await db.Database.CanConnectAsync())
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            await db.Database.OpenConnectionAsync();
            var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending} database migrations are not applied.");
            }

            if (db.Database.IsSqlite())
            {
                SqliteConnectionSettings.SetBusyTimeout(db.Database.GetDbConnection(), LockWait);
                await db.Database.ExecuteSqlRawAsync(WriteProbe);
            }

            return HealthCheckResult.Healthy("The database is reachable, up to date and writable.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached, or is locked or read-only.", e);
        }
    }
}
