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
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                // WAL lets readers proceed while one writer commits; the mode is stored in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            if (options.Value.MigrateOnStartup)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    logger.LogInformation("Applying {Count} database migrations", pending.Count);
                    await db.Database.MigrateAsync(cancellationToken);
                }
            }
        }

        await skeletons.UpdateAsync(cancellationToken);
        await adminBootstrap.EnsureAdminAsync();
        await demoSeeder.SeedIfEmptyAsync(cancellationToken);
    }
}
