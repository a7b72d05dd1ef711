using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public enum FileStoreKind { Disk = 0, S3 = 1 }

/// <summary>Files and images in chats (DuckChat:Files): limits, where the bytes are kept, and how long deleted ones linger.</summary>
public sealed class FilesOptions : IValidatableObject
{
    public bool Enabled { get; set; } = true;

    [Range(1, 10L * 1024 * 1024 * 1024, ErrorMessage = "must be between 1 byte and 10 GiB.")]
    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    [Range(1, 100, ErrorMessage = "must be between 1 and 100 files.")]
    public int MaxFilesPerMessage { get; set; } = 10;

    /// <summary>Bytes a person may keep stored over all their files; 0 means no quota.</summary>
    [Range(0, long.MaxValue, ErrorMessage = "must be 0 (no quota) or more bytes.")]
    public long QuotaBytesPerPerson { get; set; } = 1024L * 1024 * 1024;

    /// <summary>File name extensions that may be uploaded (".pdf", ".png"); empty allows every type. Only PNG, JPEG, GIF and WebP are ever shown inline.</summary>
    public string[] AllowedExtensions { get; set; } = [];

    /// <summary>Largest image (width × height) that is decoded for a thumbnail; a bigger one is refused before decoding.</summary>
    [Range(1, 1_000_000_000, ErrorMessage = "must be between 1 and 1000000000 pixels.")]
    public long MaxImagePixels { get; set; } = 60_000_000;

    /// <summary>An upload that no message has taken after this long is deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan UnattachedLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a deleted file's bytes stay in the store. A backup copies the database first and the files after it, so
    /// every file its database names must still be there while the backup runs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "must be between 00:00:00 and 365.00:00:00.")]
    public TimeSpan DeletionGrace { get; set; } = TimeSpan.FromHours(24);

    public FileStoreKind Store { get; set; } = FileStoreKind.Disk;

    /// <summary>The folder of the Disk store; relative paths are under the data folder.</summary>
    public string Directory { get; set; } = "files";

    public S3StoreOptions S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store == FileStoreKind.S3)
        {
            foreach (var (value, name) in new[] { (S3.ServiceUrl, nameof(S3.ServiceUrl)), (S3.Bucket, nameof(S3.Bucket)), (S3.AccessKey, nameof(S3.AccessKey)), (S3.SecretKey, nameof(S3.SecretKey)) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return new ValidationResult("must be set when Store is S3.", [$"{nameof(S3)}:{name}"]);
                }
            }

            if (!string.IsNullOrWhiteSpace(S3.ServiceUrl) && !(Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                yield return new ValidationResult("must be an http or https address.", [$"{nameof(S3)}:{nameof(S3.ServiceUrl)}"]);
            }
        }

        foreach (var extension in AllowedExtensions.Where(e => !e.StartsWith('.') || e.Length < 2))
        {
            yield return new ValidationResult($"lists '{extension}', which is not an extension such as \".pdf\".", [nameof(AllowedExtensions)]);
        }
    }
}

/// <summary>An S3-compatible object store (MinIO, Ceph, Garage, AWS): path-style addresses, SigV4, checksums only where the protocol requires them.</summary>
public sealed class S3StoreOptions
{
    public string? ServiceUrl { get; set; }
    public string Region { get; set; } = "us-east-1";
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
}
