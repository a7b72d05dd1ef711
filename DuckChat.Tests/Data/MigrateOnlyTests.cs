using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Data;

/// <summary>
/// <c>--migrate-only</c>, the separate migration step, and the start-up refusal of a database a newer DuckChat wrote,
/// each on a copy of a checked-in upgrade database, with the app run as its own process.
/// </summary>
public sealed class MigrateOnlyTests
{
    private const string Oldest = "20261125023209_Initial";
    private const string FromTheFuture = "29991231235959_FromTheFuture";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateOnly_OnTheOldestUpgradeDatabase_MigratesItKeepingItsMeaning_AndExits0()
    {
        // The app that checks the result does not migrate: whatever schema it finds, --migrate-only made.
        await using var app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Database:MigrateOnStartup"] = "false" });
        var database = Path.Combine(app.DataDirectory, "duckchat.db");
        File.Copy(Path.Combine(UpgradeDatabase.Folder, $"{Oldest}.db"), database);

        await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(app.DataDirectory), MigrateOnlyCommand.Argument))
        {
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, process.Output);
        }

        using var design = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.Equal(design.Database.GetMigrations(), await AppliedAsync(database));
        await UpgradeDatabase.AssertMeaningAsync(app, Oldest);
        await UpgradeDatabase.AssertItStillWorksAsync(app);
    }

    [Fact]
    public async Task StartAndMigrateOnly_OnADatabaseFromANewerVersion_Refuse_NamingItsMigration_AndChangeNothing()
    {
        var dataDirectory = TestPaths.NewTempDirectory("newer");
        try
        {
            var database = Path.Combine(dataDirectory, "duckchat.db");
            var newest = Directory.GetFiles(UpgradeDatabase.Folder, "*.db").Order(StringComparer.Ordinal).Last();
            File.Copy(newest, database);
            await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
            {
                await connection.OpenAsync(Cancel);
                await using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('{FromTheFuture}', '99.0.0')";
                await insert.ExecuteNonQueryAsync(Cancel);
            }

            var before = await AppliedAsync(database);
            var settings = Settings(dataDirectory);
            settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPaths.FreePort()}";

            await using (var start = AppProcess.Start(TestPaths.WebBuildOutput, settings))
            {
                Assert.Equal(1, await start.WaitForExitAsync(TimeSpan.FromMinutes(1)));
                Assert.Contains(FromTheFuture, start.Output);
                Assert.DoesNotContain("   at ", start.Output); // a message, not a stack trace
            }

            await using (var migrate = AppProcess.Start(TestPaths.WebBuildOutput, settings, MigrateOnlyCommand.Argument))
            {
                Assert.Equal(1, await migrate.WaitForExitAsync(TimeSpan.FromMinutes(1)));
                Assert.Contains(FromTheFuture, migrate.Output);
                Assert.DoesNotContain("   at ", migrate.Output);
            }

            Assert.Equal(before, await AppliedAsync(database));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }

    private static async Task<List<string>> AppliedAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync(Cancel);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        await using var reader = await query.ExecuteReaderAsync(Cancel);
        var ids = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static Dictionary<string, string> Settings(string dataDirectory) => new() { ["DuckChat__Database__DataDirectory"] = dataDirectory };
}
