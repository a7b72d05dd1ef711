using System.Security.Cryptography;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Files;

/// <summary>
/// The writes of a file's life, each an EF unit run by the chat writer, so they are ordered with the sends that take
/// files and the deletes that drop them. Each queues the file's next piece of work (<see cref="FileWork"/>) in the same
/// transaction, so no file is ever left without someone responsible for it.
/// </summary>
public static class FileRecords
{
    /// <summary>Why a file could not be reserved.</summary>
    public enum Refusal { None, NotFound, QuotaExceeded }

    /// <summary>
    /// Reserves a file of <paramref name="size"/> bytes for <paramref name="me"/> in <paramref name="chatId"/>: only for a
    /// member whose sign-in may act, and only within the quota, counted with every file of theirs not deleted (uploads
    /// still arriving included, so two at once cannot both pass). Queues its expiry, for when no message takes it.
    /// </summary>
    public static async Task<(Refusal Refusal, string? Id)> ReserveAsync(
        ChatDbContext db, DateTime now, SignedInUser me, int chatId, string name, long size, long quota, TimeSpan unattachedLifetime)
    {
        if (!await ChatStore.IsMemberAsync(db, chatId, me.Id) || !me.MayAct(await AccountState.LoadAsync(db, me), now))
        {
            return (Refusal.NotFound, null);
        }

        if (quota > 0 && await UsedByAsync(db, me.Id) + size > quota)
        {
            return (Refusal.QuotaExceeded, null);
        }

        var id = NewId();
        db.Files.Add(new ChatFile { Id = id, ChatId = chatId, UploaderId = me.Id, Name = name, Size = size, State = FileState.Uploading, UploadedAt = now });
        db.FileWork.Add(Work(id, FileWorkKind.Expire, now, now + unattachedLifetime));
        await db.SaveChangesAsync();
        return (Refusal.None, id);
    }

    /// <summary>Bytes a person keeps stored: every file of theirs not deleted, uploads still arriving included.</summary>
    public static Task<long> UsedByAsync(ChatDbContext db, string userId) =>
        db.Files.Where(f => f.UploaderId == userId && f.State != FileState.Deleted).SumAsync(f => f.Size);

    /// <summary>The bytes are in the store: the file can be sent. An inline image's thumbnail is queued.</summary>
    public static async Task<bool> StoredAsync(ChatDbContext db, DateTime now, string id, StoredFile stored)
    {
        var thumbnail = stored.Inline ? ThumbnailState.Pending : ThumbnailState.None;
        var changed = await db.Files.Where(f => f.Id == id && f.State == FileState.Uploading).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.State, FileState.Stored)
            .SetProperty(f => f.Size, stored.Size)
            .SetProperty(f => f.ContentType, stored.ContentType)
            .SetProperty(f => f.Inline, stored.Inline)
            .SetProperty(f => f.Width, stored.Width)
            .SetProperty(f => f.Height, stored.Height)
            .SetProperty(f => f.Hash, stored.Hash)
            .SetProperty(f => f.Thumbnail, thumbnail));
        if (changed > 0 && stored.Inline)
        {
            db.FileWork.Add(Work(id, FileWorkKind.Thumbnail, now, now));
            await db.SaveChangesAsync();
        }

        return changed > 0;
    }

    /// <summary>An upload that failed or was cancelled: its reservation goes, and whatever reached the store goes after the grace period.</summary>
    public static Task AbandonedAsync(ChatDbContext db, DateTime now, string id, TimeSpan grace) =>
        DeleteAsync(db, now, db.Files.Where(f => f.Id == id && f.MessageId == null), grace);

    /// <summary>
    /// Deletes files: they are no longer shown or served at once, and their bytes are removed after the grace period,
    /// so a backup whose database still names them finds them. Part of the transaction that deletes their message.
    /// </summary>
    public static async Task DeleteAsync(ChatDbContext db, DateTime now, IQueryable<ChatFile> files, TimeSpan grace)
    {
        var ids = await files.Where(f => f.State != FileState.Deleted).Select(f => f.Id).ToListAsync();
        if (ids.Count == 0)
        {
            return;
        }

        await db.Files.Where(f => ids.Contains(f.Id)).ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FileState.Deleted).SetProperty(f => f.DeletedAt, now));
        db.FileWork.AddRange(ids.Select(id => Work(id, FileWorkKind.Purge, now, now + grace)));
        await db.SaveChangesAsync();
    }

    public static FileWork Work(string fileId, FileWorkKind kind, DateTime now, DateTime due) =>
        new() { FileId = fileId, Kind = kind, QueuedAt = now, DueAt = due };

    /// <summary>128 random bits, base64url: an id nobody can guess or count through.</summary>
    private static string NewId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
}

/// <summary>What an upload became once its bytes were in the store.</summary>
public sealed record StoredFile(long Size, string ContentType, bool Inline, int? Width, int? Height, string Hash);

/// <summary>A send named a file that is not (or no longer) the sender's unsent upload to that chat: nothing of the send is saved.</summary>
public sealed class FileGoneException() : Exception("A file of the message is no longer available.");
