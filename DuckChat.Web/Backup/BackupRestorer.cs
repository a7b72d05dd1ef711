using System.Xml.Linq;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Backup;

/// <summary>
/// Puts a backup in place for a new data folder: checks every file against the manifest first (a damaged or partial
/// backup changes nothing), refuses a place that already holds a database, then writes the database, the key ring and
/// the files where the configuration says they live. The app migrates the restored database when it next starts.
/// </summary>
public sealed class BackupRestorer(
    DatabaseLocation location,
    IOptions<DatabaseOptions> database,
    IOptions<KeyManagementOptions> keyManagement,
    IFileStore store)
{
    public async Task<BackupOutcome> RestoreAsync(string folder, CancellationToken cancellationToken)
    {
        try
        {
            folder = Path.GetFullPath(folder);
            var manifest = await BackupManifest.ReadAsync(folder, cancellationToken);
            await VerifyAsync(folder, manifest, cancellationToken);

            var target = SqliteDatabaseFile.PathOf(database.Value, location);
            if (File.Exists(target) || File.Exists(target + "-wal"))
            {
                return BackupOutcome.Failed($"{target} already holds a database: restore into a fresh data folder, or move that database away first.");
            }

            // Written beside its place and moved in whole, so a restore cut short never leaves half a database to start on.
            var partial = target + ".restoring";
            File.Delete(partial);
            await using (var source = File.OpenRead(BackupFile.FullPath(folder, BackupManifest.DatabaseFile)))
            {
                await PrivateFiles.CopyAsync(source, partial, cancellationToken);
            }

            File.Move(partial, target);

            var keys = RestoreKeys(folder, manifest);
            var files = 0;
            foreach (var entry in manifest.Files.Where(f => f.Path.StartsWith(BackupManifest.FilesFolder + "/", StringComparison.Ordinal)))
            {
                await using var content = File.OpenRead(BackupFile.FullPath(folder, entry.Path));
                await store.PutAsync(entry.Path[(BackupManifest.FilesFolder.Length + 1)..], content, entry.Size, "application/octet-stream", cancellationToken);
                files++;
            }

            return new BackupOutcome(true, $"Restored the backup of {manifest.CreatedAt:u} into {target}: {keys} keys, {files} files.");
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or SqliteException or StackExchange.Redis.RedisException)
        {
            return BackupOutcome.Failed($"Nothing usable was restored from {folder}: {e.Message}");
        }
    }

    private static async Task VerifyAsync(string folder, BackupManifest manifest, CancellationToken cancellationToken)
    {
        if (!manifest.Files.Any(f => f.Path == BackupManifest.DatabaseFile))
        {
            throw new BackupException($"The manifest lists no {BackupManifest.DatabaseFile}.");
        }

        foreach (var entry in manifest.Files)
        {
            if (!File.Exists(BackupFile.FullPath(folder, entry.Path)))
            {
                throw new BackupException($"{entry.Path} is missing from the backup.");
            }

            var actual = await BackupFile.DescribeAsync(folder, entry.Path, cancellationToken);
            if (actual != entry with { Sha256 = entry.Sha256.ToLowerInvariant() })
            {
                throw new BackupException($"{entry.Path} does not match the manifest's checksum: the backup is damaged or was changed.");
            }
        }
    }

    /// <summary>Adds the backed-up key ring to the configured one (the keys folder, or Redis), leaving keys already there alone.</summary>
    private int RestoreKeys(string folder, BackupManifest manifest)
    {
        var repository = keyManagement.Value.XmlRepository
            ?? throw new BackupException("The data-protection key ring's place is not configured.");
        var present = repository.GetAllElements().Select(Identity).ToHashSet();
        var added = 0;
        foreach (var entry in manifest.Files.Where(f => f.Path.StartsWith(BackupManifest.KeysFolder + "/", StringComparison.Ordinal)))
        {
            var element = XElement.Load(BackupFile.FullPath(folder, entry.Path));
            if (present.Add(Identity(element)))
            {
                repository.StoreElement(element, Path.GetFileNameWithoutExtension(entry.Path));
                added++;
            }
        }

        return added;
    }

    private static string Identity(XElement element) => $"{element.Name.LocalName}:{element.Attribute("id")?.Value ?? element.ToString(SaveOptions.DisableFormatting)}";
}
