namespace DuckChat.Web.Configuration;

/// <summary>Backups taken from the admin area (DuckChat:Backup). The command line (<c>--backup DIR</c>) needs none of this.</summary>
public sealed class BackupOptions
{
    /// <summary>
    /// The folder admin-area backups are written into, each in a new timestamped folder; relative paths are under the
    /// data folder. Unset, the admin area offers no backup: only someone with access to the server chooses where
    /// backups go.
    /// </summary>
    public string? Directory { get; set; }
}
