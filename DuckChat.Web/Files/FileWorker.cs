using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Data.Queues;
using DuckChat.Web.Files.Images;
using DuckChat.Web.Files.Storage;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Files;

/// <summary>Wakes this instance's <see cref="FileWorker"/> when an upload queued a thumbnail here.</summary>
public sealed class FileWorkQueue(TimeProvider time)
{
    public Doorbell Doorbell { get; } = new(time);
}

/// <summary>
/// Does the files' queued work, once however many instances there are: makes thumbnails (one image at a time, so
/// decoding stays within one image's memory), deletes uploads no message took, and removes deleted files' bytes once
/// their grace period is over. A thumbnail of a sent image changes its message, so every page shows it without a reload.
/// </summary>
public sealed class FileWorker(
    IDbContextFactory<ChatDbContext> factory, FileWorkQueue queue, TimeProvider time, ILogger<FileWorker> logger,
    IFileStore store, ImageProcessor images, ChatWriter writer, MessageFormatter formatter, IMessageBus bus, IOptions<FilesOptions> options)
    : QueueWorker<FileWork>(factory, queue.Doorbell, time, logger)
{
    protected override TimeSpan ClaimLength => TimeSpan.FromMinutes(5);

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(30);

    protected override int MaxAttempts => 5;

    protected override int BatchSize => 8;

    protected override DbSet<FileWork> Table(ChatDbContext db) => db.FileWork;

    protected override TimeSpan RetryDelay(int attempts) => TimeSpan.FromSeconds(10 * Math.Pow(4, attempts));

    protected override async Task<Attempt> AttemptAsync(FileWork work, CancellationToken cancellationToken)
    {
        switch (work.Kind)
        {
            case FileWorkKind.Thumbnail:
                await ThumbnailAsync(work.FileId, cancellationToken);
                break;
            case FileWorkKind.Expire:
                await writer.ChangeAsync(async (db, now) =>
                {
                    await FileRecords.AbandonedAsync(db, now, work.FileId, options.Value.DeletionGrace);
                    return true;
                });
                break;
            case FileWorkKind.Purge:
                await store.DeleteAsync(FileKeys.Thumbnail(work.FileId), cancellationToken);
                await store.DeleteAsync(FileKeys.Original(work.FileId), cancellationToken);
                await writer.ChangeAsync((db, _) => db.Files.Where(f => f.Id == work.FileId && f.State == FileState.Deleted).ExecuteDeleteAsync());
                break;
        }

        return Attempt.Done;
    }

    private async Task ThumbnailAsync(string fileId, CancellationToken cancellationToken)
    {
        await using (var db = await Factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Files.AnyAsync(f => f.Id == fileId && f.State == FileState.Stored && f.Thumbnail == ThumbnailState.Pending, cancellationToken))
            {
                return;
            }
        }

        bool made;
        await using (var original = await store.OpenReadAsync(FileKeys.Original(fileId), cancellationToken))
        {
            using var thumbnail = new MemoryStream();
            made = original is not null && await images.ThumbnailAsync(original, thumbnail, cancellationToken);
            if (made)
            {
                thumbnail.Position = 0;
                await store.PutAsync(FileKeys.Thumbnail(fileId), thumbnail, thumbnail.Length, "image/webp", cancellationToken);
            }
        }

        var changed = await writer.ChangeAsync((db, _) => MarkThumbnailAsync(db, fileId, made));
        changed?.Publish(bus);
    }

    /// <summary>
    /// Records the thumbnail (an image that could not be made into one is shown as a download instead) and, for a sent
    /// file, stamps its message with the chat's next change number, so a page that misses the event still catches up.
    /// </summary>
    private async Task<ChangedMessage?> MarkThumbnailAsync(ChatDbContext db, string fileId, bool made)
    {
        var file = await db.Files.FirstOrDefaultAsync(f => f.Id == fileId && f.State == FileState.Stored && f.Thumbnail == ThumbnailState.Pending);
        if (file is null)
        {
            return null;
        }

        file.Thumbnail = made ? ThumbnailState.Ready : ThumbnailState.Failed;
        file.Inline = made;
        if (file.MessageId is not { } messageId || !await db.Messages.AnyAsync(m => m.Id == messageId && m.DeletedAt == null))
        {
            await db.SaveChangesAsync();
            return null;
        }

        var changeSeq = await ChatStore.NextChangeSeqAsync(db, file.ChatId);
        await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ChangeSeq, changeSeq));
        await db.SaveChangesAsync();
        return await ChangedMessage.ReadAsync(db, file.ChatId, messageId, formatter);
    }
}
