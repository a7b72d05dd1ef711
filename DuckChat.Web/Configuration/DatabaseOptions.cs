using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public enum DatabaseProvider { Sqlite, SqlServer }

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
}
