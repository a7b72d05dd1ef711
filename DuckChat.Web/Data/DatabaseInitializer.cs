using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Data;

/// <summary>Runs once before the app serves: migrations (unless turned off), SQLite's WAL mode, look-alike keys, the admin, demo data.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<ChatDbContext> factory,
    IOptions<DatabaseOptions> options,
    AdminBootstrap adminBootstrap,
    UserNameSkeletonBackfill skeletons,
    DemoSeeder demoSeeder,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PrepareAsync(migrate: options.Value.MigrateOnStartup, cancellationToken);
        await skeletons.UpdateAsync(cancellationToken);
        await adminBootstrap.EnsureAdminAsync();
        await demoSeeder.SeedIfEmptyAsync(cancellationToken);
    }

    /// <summary>
    /// Sets SQLite's WAL mode, refuses a database written by a newer DuckChat, and applies pending migrations when
    /// <paramref name="migrate"/> (start-up, unless turned off; <c>--migrate-only</c> always). Returns the newest migration applied.
    /// </summary>
    public async Task<string?> PrepareAsync(bool migrate, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // A migration this build does not know was applied by a newer version: its schema and data may mean things
        // this code would misread or overwrite, so nothing runs on it (going back means restoring a backup).
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var unknown = applied.Except(db.Database.GetMigrations(), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException(
                $"The database was written by a newer version of DuckChat: it holds migration {string.Join(", ", unknown)}, which this version does not know. " +
                "Run that newer version (or later), or restore a backup taken with this one.");
        }

        if (migrate)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} database migrations", pending.Count);
                await db.Database.MigrateAsync(cancellationToken);
                applied.AddRange(pending);
            }
        }

        return applied.Count > 0 ? applied.Max(StringComparer.Ordinal) : null;
    }
}
