using System.Reflection;
using System.Xml.Linq;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using DuckChat.Web.Files.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Backup;

/// <summary>What became of a backup or a restore: whether it worked, and a message for the person who asked.</summary>
public sealed record BackupOutcome(bool Succeeded, string Message)
{
    public static BackupOutcome Failed(string message) => new(false, message);
}

/// <summary>
/// Takes a backup while the app runs and people write: the SQLite database as one consistent moment, then the
/// data-protection key ring, then (with the disk store) the files that database copy names, then the manifest. Files
/// deleted after the database was copied are still there: the file life cycle keeps deleted bytes for
/// DuckChat:Files:DeletionGrace. Everything is written readable by the app's user only.
/// </summary>
public sealed class BackupWriter(
    DatabaseLocation location,
    IOptions<DatabaseOptions> database,
    IOptions<FilesOptions> files,
    IOptions<PushOptions> push,
    IOptions<KeyManagementOptions> keyManagement,
    IFileStore store,
    TimeProvider time)
{
    /// <summary>The tables whose row counts the manifest records, where the backed-up schema has them.</summary>
    private static readonly string[] CountedTables =
        ["AspNetUsers", "Chats", "ChatMembers", "Messages", "MessageReactions", "Files", "AuditEntries", "PushDevices", "VapidKeys"];

    /// <summary>
    /// Backs up into <paramref name="folder"/> (new, or empty). One that stops before its manifest is written (it fails,
    /// or is cancelled) takes away what it wrote, so a folder either holds a whole backup or nothing.
    /// </summary>
    public async Task<BackupOutcome> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        Written? started = null;
        try
        {
            var source = SqliteDatabaseFile.PathOf(database.Value, location);
            if (!File.Exists(source))
            {
                return BackupOutcome.Failed($"There is no database at {source} to back up.");
            }

            folder = Path.GetFullPath(folder);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                return BackupOutcome.Failed($"{folder} is not empty: back up into a new or empty folder, so nothing of another backup mixes in.");
            }

            started = new Written(folder, Created: !Directory.Exists(folder));
            PrivateFiles.CreateFolder(folder);
            var copy = Path.Combine(folder, BackupManifest.DatabaseFile);
            CopyDatabase(source, copy);
            var contents = await DatabaseContents.ReadAsync(copy, CountedTables, cancellationToken);
            if (contents.IntegrityCheck != "ok")
            {
                return BackupOutcome.Failed($"The copy of the database failed its integrity check ({contents.IntegrityCheck}); nothing was kept.");
            }

            var written = new List<string> { BackupManifest.DatabaseFile };
            written.AddRange(await CopyKeysAsync(folder, cancellationToken));
            var onDisk = files.Value.Store == FileStoreKind.Disk;
            var missing = new List<string>();
            if (onDisk)
            {
                written.AddRange(await CopyFilesAsync(folder, contents.FileKeys, missing, cancellationToken));
            }

            var described = new List<BackupFile>();
            foreach (var path in written)
            {
                described.Add(await BackupFile.DescribeAsync(folder, path, cancellationToken));
            }

            var manifest = new BackupManifest(
                BackupManifest.CurrentFormat,
                AppVersion,
                contents.NewestMigration,
                time.GetUtcNow().UtcDateTime,
                contents.IntegrityCheck,
                string.IsNullOrWhiteSpace(push.Value.PublicKey) ? "database" : "configuration (DuckChat:Push; not in this backup)",
                onDisk ? "disk" : "S3 (not in this backup: back the bucket up with its own tools)",
                contents.RowCounts,
                described,
                missing);
            await manifest.WriteAsync(folder, cancellationToken);
            started = null;

            var messages = $"{contents.RowCounts.GetValueOrDefault("Messages")} messages";
            var copied = $"{messages}, {contents.FileKeys.Count - missing.Count} files";
            return missing.Count > 0
                ? BackupOutcome.Failed($"Backed up into {folder} ({copied}), but {missing.Count} stored files were not in the file store (listed in the manifest under missingFiles).")
                : new BackupOutcome(true, onDisk
                    ? $"Backed up into {folder}: {copied}."
                    : $"Backed up the database and keys into {folder} ({messages}); the files are in S3: back the bucket up with its own tools.");
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or SqliteException or StackExchange.Redis.RedisException)
        {
            return BackupOutcome.Failed($"The backup into {folder} failed, and nothing was kept: {e.Message}");
        }
        finally
        {
            started?.TakeAway();
        }
    }

    /// <summary>A backup's folder before its manifest is written, and whether this backup made the folder.</summary>
    private sealed record Written(string Folder, bool Created)
    {
        public void TakeAway()
        {
            try
            {
                if (Created)
                {
                    Directory.Delete(Folder, recursive: true);
                    return;
                }

                foreach (var entry in new DirectoryInfo(Folder).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo folder)
                    {
                        folder.Delete(recursive: true);
                    }
                    else
                    {
                        entry.Delete();
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // What cannot be taken away stays without a manifest, and a restore refuses a folder without one.
            }
        }
    }

    /// <summary>
    /// VACUUM INTO rather than the online backup API: it reads the whole database inside one read transaction, which in
    /// WAL mode never holds up the app's writers, so the copy is one consistent moment however much is written meanwhile;
    /// it needs no second open database, and the copy comes out compacted. (The backup API copies the same snapshot when
    /// run in one step, but stepped in pieces it starts over whenever another connection writes.)
    /// </summary>
    private static void CopyDatabase(string source, string copy)
    {
        using (PrivateFiles.Create(copy))
        {
            // An empty file, created private: VACUUM INTO fills an empty file and keeps its mode.
        }

        using var connection = SqliteDatabaseFile.Open(source);
        using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $copy";
        command.Parameters.AddWithValue("$copy", copy);
        command.ExecuteNonQuery();
    }

    /// <summary>The key ring as the app reads it (the keys folder, or Redis when it holds them), one file per element.</summary>
    private async Task<List<string>> CopyKeysAsync(string folder, CancellationToken cancellationToken)
    {
        var repository = keyManagement.Value.XmlRepository
            ?? throw new BackupException("The data-protection key ring's place is not configured.");
        PrivateFiles.CreateFolder(Path.Combine(folder, BackupManifest.KeysFolder));
        var written = new List<string>();
        var index = 0;
        foreach (var element in repository.GetAllElements())
        {
            var path = $"{BackupManifest.KeysFolder}/{element.Name.LocalName}-{element.Attribute("id")?.Value ?? (index++).ToString(System.Globalization.CultureInfo.InvariantCulture)}.xml";
            await using (var file = PrivateFiles.Create(BackupFile.FullPath(folder, path)))
            {
                await element.SaveAsync(file, SaveOptions.None, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            written.Add(path);
        }

        return written;
    }

    private async Task<List<string>> CopyFilesAsync(string folder, IReadOnlyList<string> keys, List<string> missing, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(Path.Combine(folder, BackupManifest.FilesFolder));
        var written = new List<string>();
        foreach (var key in keys)
        {
            await using var content = await store.OpenReadAsync(key, cancellationToken);
            if (content is null)
            {
                missing.Add(key);
                continue;
            }

            var path = $"{BackupManifest.FilesFolder}/{key}";
            await PrivateFiles.CopyAsync(content, BackupFile.FullPath(folder, path), cancellationToken);
            written.Add(path);
        }

        return written;
    }

    private static string AppVersion =>
        typeof(BackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
