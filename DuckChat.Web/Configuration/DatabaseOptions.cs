using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>SQLite's durability: Full waits for the disk at every commit; Normal (in WAL mode) may lose the last commits on a power cut, never the file.</summary>
public enum SqliteSynchronous { Full, Normal }

public sealed class DatabaseOptions
{
    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "must be Sqlite or SqlServer.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Overrides the connection string; <c>ConnectionStrings:DuckChat</c> is read when this is empty.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder (relative to the content root unless absolute) for the SQLite file and the data-protection keys.</summary>
    [Required(ErrorMessage = "must name a folder.")]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Apply pending migrations at start-up; turn off where deployments migrate separately.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// How long one database command may take, including SQLite's waiting for a lock held elsewhere: past it the
    /// operation fails with a clear message instead of hanging the person's send.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "must be between 00:00:01 and 00:10:00.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite only: Full (the default) waits for the disk at every commit, so a committed message survives a power cut;
    /// Normal does not wait at commits, which is faster and, in WAL mode, can lose only the newest commits on a power
    /// cut (never corrupt the file). Group commit already shares one wait among many sends.
    /// </summary>
    [EnumDataType(typeof(SqliteSynchronous), ErrorMessage = "must be Full or Normal.")]
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;
}
