using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Admin;

/// <summary>A person's stored bytes (uploads still arriving included) and how many files that is.</summary>
public sealed record StorageRow(string? UserId, string UserName, long Bytes, int Files);

/// <summary>A stored file as the admin area lists it.</summary>
public sealed record FileRow(string Id, string Name, long Size, string ContentType, string UploaderName, int ChatId, long? MessageId, DateTime UploadedAt);

/// <summary>Storage for admins: who uses how much, and removing a file (audited; its message stays, without it).</summary>
public sealed class FileAdministration(
    AdminGuard guard, IDbContextFactory<ChatDbContext> factory, ChatWriter writer, IMessageBus bus, MessageFormatter formatter,
    IOptions<FilesOptions> options, TimeProvider time)
{
    /// <summary>The people using the most storage first.</summary>
    public async Task<PageOf<StorageRow>> QueryStorageAsync(int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var byPerson = db.Files.Where(f => f.State != FileState.Deleted).GroupBy(f => f.UploaderId);
        var total = await byPerson.CountAsync();
        var rows = await byPerson
            .Select(g => new { UserId = g.Key, Bytes = g.Sum(f => f.Size), Files = g.Count() })
            .OrderByDescending(g => g.Bytes).ThenBy(g => g.UserId).Skip(page * pageSize).Take(pageSize)
            .Select(g => new { g.UserId, g.Bytes, g.Files, Name = db.Users.Where(u => u.Id == g.UserId).Select(u => u.UserName).FirstOrDefault() })
            .ToListAsync();
        return new(rows.Select(r => new StorageRow(r.UserId, r.Name ?? MessageView.DeletedUserName, r.Bytes, r.Files)).ToList(), total);
    }

    /// <summary>Stored files, newest first; only those of one person when <paramref name="userName"/> is given.</summary>
    public async Task<PageOf<FileRow>> QueryFilesAsync(string? userName, int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.Files.Where(f => f.State == FileState.Stored);
        if (!string.IsNullOrWhiteSpace(userName))
        {
            var normalized = Accounts.UserNameNormalizer.Normalize(userName.Trim());
            query = query.Where(f => db.Users.Any(u => u.Id == f.UploaderId && u.NormalizedUserName == normalized));
        }

        var total = await query.CountAsync();
        var rows = await query.OrderByDescending(f => f.UploadedAt).ThenBy(f => f.Id).Skip(page * pageSize).Take(pageSize)
            .Select(f => new { f.Id, f.Name, f.Size, f.ContentType, f.ChatId, f.MessageId, f.UploadedAt, Uploader = db.Users.Where(u => u.Id == f.UploaderId).Select(u => u.UserName).FirstOrDefault() })
            .ToListAsync();
        return new(rows.Select(f => new FileRow(f.Id, f.Name, f.Size, f.ContentType, f.Uploader ?? MessageView.DeletedUserName, f.ChatId, f.MessageId, f.UploadedAt)).ToList(), total);
    }

    /// <summary>Removes one file for everyone, in the writer's transaction: its message changes (every page drops the file) and the removal is audited.</summary>
    public async Task<AdminResult> RemoveFileAsync(string fileId, string reason)
    {
        var me = await guard.RequireAdminAsync();
        if (AdminGuard.CheckReason(reason) is { } refused)
        {
            return AdminResult.Refused(refused);
        }

        var (refusal, changed) = await writer.ChangeAsync<(string?, ChangedMessage?)>(async (db, now) =>
        {
            var file = await db.Files.Where(f => f.Id == fileId && f.State != FileState.Deleted)
                .Select(f => new { f.Name, f.ChatId, f.MessageId, Uploader = db.Users.Where(u => u.Id == f.UploaderId).Select(u => u.UserName).FirstOrDefault() })
                .FirstOrDefaultAsync();
            if (file is null)
            {
                return ("That file no longer exists.", null);
            }

            await FileRecords.DeleteAsync(db, now, db.Files.Where(f => f.Id == fileId), options.Value.DeletionGrace);
            await AdminGuard.AuditAsync(db, time, me, "Remove file", "File", fileId, $"{file.Name} by {file.Uploader ?? MessageView.DeletedUserName}, chat {file.ChatId}", reason);
            if (file.MessageId is not { } messageId)
            {
                return (null, null);
            }

            var changeSeq = await ChatStore.NextChangeSeqAsync(db, file.ChatId);
            await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ChangeSeq, changeSeq));
            return (null, await ChangedMessage.ReadAsync(db, file.ChatId, messageId, formatter));
        });
        if (refusal is not null)
        {
            return AdminResult.Refused(refusal);
        }

        changed?.Publish(bus);
        return AdminResult.Done;
    }
}
