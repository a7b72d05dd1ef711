using System.Security.Cryptography;
using System.Text.Json;

namespace DuckChat.Web.Backup;

/// <summary>
/// manifest.json, written last into a backup folder: what the backup holds and the SHA-256 of every file in it, so a
/// restore can tell a whole, unchanged backup from a damaged or partial one (a folder without it is not a backup).
/// </summary>
public sealed record BackupManifest(
    int Format,
    string AppVersion,
    string? NewestMigration,
    DateTime CreatedAt,
    string IntegrityCheck,
    string VapidKeys,
    string FileStore,
    IReadOnlyDictionary<string, long> RowCounts,
    IReadOnlyList<BackupFile> Files,
    IReadOnlyList<string> MissingFiles)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string DatabaseFile = "duckchat.db";
    public const string KeysFolder = "keys";
    public const string FilesFolder = "files";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(string folder, CancellationToken cancellationToken)
    {
        await using var file = PrivateFiles.Create(Path.Combine(folder, FileName));
        await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken);
        file.Flush(flushToDisk: true);
    }

    /// <summary>The manifest of <paramref name="folder"/>; throws <see cref="BackupException"/> when there is none or it cannot be read.</summary>
    public static async Task<BackupManifest> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new BackupException($"{folder} holds no {FileName}: it is not a DuckChat backup, or the backup did not finish.");
        }

        try
        {
            await using var file = File.OpenRead(path);
            var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(file, Json, cancellationToken);
            return manifest is { Format: CurrentFormat, Files: not null }
                ? manifest
                : throw new BackupException($"{path} is not a manifest this version of DuckChat reads (format {CurrentFormat}).");
        }
        catch (JsonException e)
        {
            throw new BackupException($"{path} cannot be read: {e.Message}");
        }
    }
}

/// <summary>One file of a backup: its path inside the backup folder ('/' between folders), its size and its SHA-256 (hex).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256)
{
    public static async Task<BackupFile> DescribeAsync(string folder, string relativePath, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(FullPath(folder, relativePath));
        var hash = await SHA256.HashDataAsync(file, cancellationToken);
        return new(relativePath, file.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Where the file is; a path that would leave the backup folder is refused, so a tampered manifest cannot point a restore elsewhere.</summary>
    public static string FullPath(string folder, string relativePath)
    {
        var root = System.IO.Path.GetFullPath(folder);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relativePath));
        return full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new BackupException($"The manifest names '{relativePath}', which is outside the backup folder.");
    }
}

/// <summary>A backup or restore that cannot go on, with a message that says why and what to do.</summary>
public sealed class BackupException(string message) : Exception(message);
