using System.Data.Common;

namespace DuckChat.Web.Data;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --migrate-only</c>: applies pending migrations to the configured database and exits
/// (0 when the schema is current, 1 with a message when not), serving nothing. For deployments that migrate as a step
/// of their own, with DuckChat:Database:MigrateOnStartup off on the instances.
/// </summary>
public static class MigrateOnlyCommand
{
    public const string Argument = "--migrate-only";

    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var newest = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().PrepareAsync(migrate: true);
            Console.WriteLine($"The database is up to date (newest migration: {newest ?? "none"}).");
            return 0;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or StartupException)
        {
            await Console.Error.WriteLineAsync($"The database was not migrated: {e.Message}");
            return 1;
        }
    }
}
