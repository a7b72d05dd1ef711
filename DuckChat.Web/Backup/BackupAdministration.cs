using DuckChat.Web.Admin;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Backup;

/// <summary>
/// The admin area's backup: admins only (checked here, on the server), into a new timestamped folder under
/// DuckChat:Backup:Directory and nowhere else, never offered for download, and every attempt kept in the audit log.
/// </summary>
public sealed class BackupAdministration(
    AdminGuard guard,
    BackupWriter writer,
    IOptions<BackupOptions> options,
    DatabaseLocation location,
    IDbContextFactory<ChatDbContext> factory,
    TimeProvider time)
{
    public const string AuditAction = "Back up";

    /// <summary>Where backups go, or null when the configuration leaves admin-area backups off.</summary>
    public string? Directory => options.Value.Directory is { Length: > 0 } configured
        ? Path.GetFullPath(configured, location.DataDirectory)
        : null;

    public async Task<BackupOutcome> BackUpAsync(CancellationToken cancellationToken = default)
    {
        var admin = await guard.RequireAdminAsync();
        if (Directory is not { } root)
        {
            return BackupOutcome.Failed("Backups from the admin area are off: the server's DuckChat:Backup:Directory is not set.");
        }

        var name = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var folder = Path.Combine(root, name);
        for (var n = 2; System.IO.Directory.Exists(folder); n++)
        {
            folder = Path.Combine(root, $"{name}-{n}");
        }

        BackupOutcome outcome;
        try
        {
            PrivateFiles.CreateFolder(root);
            outcome = await writer.WriteAsync(folder, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = BackupOutcome.Failed($"The backup folder {root} cannot be used: {e.Message}");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await AdminGuard.AuditAsync(db, time, admin, AuditAction, "Backup", Path.GetFileName(folder),
            details: outcome.Succeeded ? outcome.Message : $"Failed: {outcome.Message}");
        return outcome;
    }
}
