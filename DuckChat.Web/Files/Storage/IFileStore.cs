namespace DuckChat.Web.Files.Storage;

/// <summary>
/// Where files' bytes live: a folder under the data folder, or an S3-compatible object store that several instances
/// share (DuckChat:Files:Store). Keys are file ids (and <see cref="FileKeys"/>), never paths a person chose.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="length"/> bytes under <paramref name="key"/>, all or nothing: a reader never sees part of them.</summary>
    Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken);

    /// <summary>A seekable stream over the stored bytes (its Length known, so ranges can be served), or null when there is no such key.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the key; a key that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached or used (readiness reports Degraded).</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The keys a file's bytes are kept under.</summary>
public static class FileKeys
{
    public static string Original(string fileId) => fileId;

    public static string Thumbnail(string fileId) => $"{fileId}.thumbnail";
}
