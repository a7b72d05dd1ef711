using DuckChat.Web.Files;
using Microsoft.Data.Sqlite;

namespace DuckChat.Web.Backup;

/// <summary>
/// What a backed-up database copy holds, read from the copy itself (never the live database, which has moved on):
/// its integrity, newest migration, row counts, and the store keys of the files it shows.
/// </summary>
public sealed record DatabaseContents(string IntegrityCheck, string? NewestMigration, IReadOnlyDictionary<string, long> RowCounts, IReadOnlyList<string> FileKeys)
{
    public static async Task<DatabaseContents> ReadAsync(string path, IEnumerable<string> countedTables, CancellationToken cancellationToken)
    {
        await using var connection = SqliteDatabaseFile.Open(path);
        var integrity = string.Join("; ", await ColumnAsync<string>(connection, "PRAGMA integrity_check", cancellationToken));
        var tables = (await ColumnAsync<string>(connection, "SELECT name FROM sqlite_master WHERE type = 'table'", cancellationToken)).ToHashSet();

        string? newest = null;
        if (tables.Contains("__EFMigrationsHistory"))
        {
            newest = (await ColumnAsync<string>(connection, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1", cancellationToken)).FirstOrDefault();
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in countedTables.Where(tables.Contains))
        {
            counts[table] = (await ColumnAsync<long>(connection, $"SELECT COUNT(*) FROM \"{table}\"", cancellationToken))[0];
        }

        // A stored file's bytes, and its thumbnail once made: the store wrote each before the row said so.
        var keys = new List<string>();
        if (tables.Contains("Files"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT Id, Thumbnail FROM Files WHERE State = {(int)FileState.Stored} ORDER BY Id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                keys.Add(Files.Storage.FileKeys.Original(id));
                if (reader.GetInt32(1) == (int)ThumbnailState.Ready)
                {
                    keys.Add(Files.Storage.FileKeys.Thumbnail(id));
                }
            }
        }

        return new(integrity, newest, counts, keys);
    }

    private static async Task<List<T>> ColumnAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
