namespace DuckChat.Web.Files.Storage;

/// <summary>
/// Keeps files in a folder (DuckChat:Files:Directory, under the data folder by default): the store of one instance, or
/// of several that share the folder. A file is written under a temporary name and renamed into place, so a reader sees
/// all of it or nothing, even after a crash half-way.
/// </summary>
public sealed class DiskFileStore(string directory) : IFileStore
{
    private const string TemporarySuffix = ".partial";

    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                if (file.Length != length)
                {
                    throw new IOException($"Expected {length} bytes for {key}, got {file.Length}.");
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        // Writable, not only present: a full or read-only disk refuses the probe as it would an upload.
        var probe = Path.Combine(Directory, $"probe-{Guid.NewGuid():N}{TemporarySuffix}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
        return Task.CompletedTask;
    }

    /// <summary>Keys are ids DuckChat made (letters, digits, '-', '_', '.'), never a name a person chose; anything else is refused rather than trusted as a path.</summary>
    private string PathOf(string key) =>
        key.Length > 0 && key[0] != '.' && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? Path.Combine(Directory, key)
            : throw new ArgumentException($"'{key}' is not a file key.", nameof(key));
}
