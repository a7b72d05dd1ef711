using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;

namespace DuckChat.Web.Backup;

/// <summary>The SQLite file the app's connection string names, for the backup and the restore; SQL Server has its own tools.</summary>
public static class SqliteDatabaseFile
{
    public static string PathOf(DatabaseOptions options, DatabaseLocation location) =>
        options.Provider == DatabaseProvider.SqlServer
            ? throw new BackupException(
                "The database is SQL Server: back it up with SQL Server's own tools (BACKUP DATABASE, or your host's backups), " +
                "and keep the data-protection keys and, with the disk file store, the files folder with it. This command backs up SQLite only.")
            : Path.GetFullPath(new SqliteConnectionStringBuilder(location.ConnectionString).DataSource);

    /// <summary>A connection to an existing file only (never creating an empty database where one was expected), outside the app's pool.</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 300,
        }.ToString());
        connection.Open();
        return connection;
    }
}
