using DuckChat.Web.Data.Queues;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Files;

/// <summary>Where a file is in its life: its bytes are arriving, stored (and shown once a message takes it), or deleted (its bytes go after the grace period).</summary>
public enum FileState { Uploading = 0, Stored = 1, Deleted = 2 }

/// <summary>An inline image's thumbnail: not one (not an image), to be made, made, or the image could not be read.</summary>
public enum ThumbnailState { None = 0, Pending = 1, Ready = 2, Failed = 3 }

/// <summary>
/// A file someone uploaded into a chat. The row is written before the bytes arrive, with the size the browser
/// announced, so the uploader's quota holds across parallel uploads and instances; it becomes part of a message when a
/// send takes it (<see cref="MessageId"/>). The id is random and unguessable, and names the file in URLs and in the store.
/// </summary>
public sealed class ChatFile
{
    public const int IdLength = 22;
    public const int NameMaxLength = 255;
    public const int ContentTypeMaxLength = 100;
    public const int HashLength = 64;

    public string Id { get; set; } = "";
    public int ChatId { get; set; }

    /// <summary>Null once the uploader's account is deleted (the file stays with its message, as the message does).</summary>
    public string? UploaderId { get; set; }

    /// <summary>The message that shows it; null until a send takes it.</summary>
    public long? MessageId { get; set; }

    /// <summary>The name shown and offered for download, made safe (<see cref="FileNames"/>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Bytes: announced while <see cref="FileState.Uploading"/>, as stored afterwards.</summary>
    public long Size { get; set; }

    /// <summary>Sniffed from the bytes, never taken from the browser.</summary>
    public string ContentType { get; set; } = "application/octet-stream";

    /// <summary>A PNG, JPEG, GIF or WebP image that is shown in the chat; everything else is a download.</summary>
    public bool Inline { get; set; }

    public int? Width { get; set; }
    public int? Height { get; set; }

    /// <summary>SHA-256 of the stored bytes, hex: the download's ETag.</summary>
    public string? Hash { get; set; }

    public FileState State { get; set; }
    public ThumbnailState Thumbnail { get; set; }
    public DateTime UploadedAt { get; set; }

    /// <summary>When it stopped being shown; its bytes are removed a grace period later, so a backup of the database taken before still finds them.</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>What <see cref="FileWork"/> does to its file.</summary>
public enum FileWorkKind
{
    /// <summary>Make the thumbnail of an inline image.</summary>
    Thumbnail = 0,

    /// <summary>Delete an upload that no message took.</summary>
    Expire = 1,

    /// <summary>Remove a deleted file's bytes from the store and its row.</summary>
    Purge = 2,
}

/// <summary>Work on a file that must happen once however many instances there are: claimed in the database (<see cref="QueueWorker{TWork}"/>).</summary>
public sealed class FileWork : IQueuedWork
{
    public long Id { get; set; }
    public string FileId { get; set; } = "";
    public FileWorkKind Kind { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime DueAt { get; set; }
    public int Attempts { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
}

public static class FilesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<ChatFile>(file =>
        {
            file.Property(f => f.Id).HasMaxLength(ChatFile.IdLength);
            file.Property(f => f.Name).HasMaxLength(ChatFile.NameMaxLength);
            file.Property(f => f.ContentType).HasMaxLength(ChatFile.ContentTypeMaxLength);
            file.Property(f => f.Hash).HasMaxLength(ChatFile.HashLength);
            file.Property(f => f.UploaderId).HasMaxLength(450);
            file.HasOne<Data.Chat>().WithMany().HasForeignKey(f => f.ChatId).OnDelete(DeleteBehavior.Cascade);
            file.HasOne<Accounts.ApplicationUser>().WithMany().HasForeignKey(f => f.UploaderId).OnDelete(DeleteBehavior.SetNull);
            // No key to Messages: a message is never removed alone, and its files are deleted by rule, not by cascade.
            file.HasIndex(f => f.MessageId);
            // A person's storage in use (the quota), and the admin area's totals.
            file.HasIndex(f => new { f.UploaderId, f.State });
        });

        builder.Entity<FileWork>(work =>
        {
            work.Property(w => w.FileId).HasMaxLength(ChatFile.IdLength);
            work.Property(w => w.ClaimedBy).HasMaxLength(64);
            work.HasIndex(w => w.DueAt);
        });
    }
}
