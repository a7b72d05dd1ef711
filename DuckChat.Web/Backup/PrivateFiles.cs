namespace DuckChat.Web.Backup;

/// <summary>
/// Folders and files a backup writes or a restore puts in place: readable and writable by the app's user only, because
/// they hold every message, password hash and signing key. The mode is given when each is created, so there is never a
/// moment when others could open one.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode); // also when it existed already, empty
    }

    /// <summary>A new file (never an existing one) that only the app's user may read.</summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Copies <paramref name="source"/> into a new private file, flushed to disk before it counts as written.</summary>
    public static async Task CopyAsync(Stream source, string path, CancellationToken cancellationToken)
    {
        await using var target = Create(path);
        await source.CopyToAsync(target, cancellationToken);
        await target.FlushAsync(cancellationToken);
        target.Flush(flushToDisk: true);
    }
}
