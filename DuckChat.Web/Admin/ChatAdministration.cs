using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Admin;

/// <summary>Chats and messages for moderation. Reading messages here is itself written to the audit log.</summary>
public sealed class ChatAdministration(
    AdminGuard guard, IDbContextFactory<ChatDbContext> factory, ChatWriter writer, IMessageBus bus, IOptions<FilesOptions> files, TimeProvider time)
{
    public async Task<PageOf<ChatRow>> QueryChatsAsync(string? search, int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.Chats.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = Accounts.UserNameNormalizer.Normalize(search.Trim());
            query = query.Where(c => (c.Name != null && c.Name.ToUpper().Contains(term))
                || c.Members.Any(m => m.User!.NormalizedUserName!.Contains(term)));
        }

        var total = await query.CountAsync();
        var rows = await query.OrderByDescending(c => c.LastMessageAt ?? c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new
            {
                c.Id, c.Kind, c.Name, Activity = c.LastMessageAt ?? c.CreatedAt,
                Members = c.Members.OrderBy(m => m.User!.NormalizedUserName).Select(m => m.User!.UserName!).Take(4).ToList(),
                MemberCount = c.Members.Count,
                MessageCount = db.Messages.Count(m => m.ChatId == c.Id),
            })
            .ToListAsync();
        return new(rows.Select(c => new ChatRow(c.Id, c.Kind, Title(c.Kind, c.Name, c.Members, c.MemberCount), c.MemberCount, c.MessageCount, c.Activity)).ToList(), total);
    }

    public async Task<IReadOnlyList<(string UserName, ChatRole Role, DateTime JoinedAt)>> GetMembersAsync(int chatId)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var members = await db.ChatMembers.Where(m => m.ChatId == chatId).OrderBy(m => m.JoinedAt)
            .Select(m => new { m.User!.UserName, m.Role, m.JoinedAt }).ToListAsync();
        return members.Select(m => (m.UserName!, m.Role, m.JoinedAt)).ToList();
    }

    /// <summary>Deletes a chat with its messages; members' open pages close it at once.</summary>
    public async Task<AdminResult> DeleteChatAsync(int chatId, string reason)
    {
        var me = await guard.RequireAdminAsync();
        if (AdminGuard.CheckReason(reason) is { } refused)
        {
            return AdminResult.Refused(refused);
        }

        // In the writer's transaction, like every other write: it queues behind the sends instead of contending with them.
        var memberIds = await writer.ChangeAsync<List<string>?>(async (db, now) =>
        {
            var chat = await db.Chats.Where(c => c.Id == chatId)
                .Select(c => new { c.Kind, c.Name, Members = c.Members.Select(m => new { m.UserId, m.User!.UserName }).ToList() })
                .FirstOrDefaultAsync();
            if (chat is null)
            {
                return null;
            }

            // The chat's file rows go with it; their bytes are queued for removal after the grace period first.
            await FileRecords.DeleteAsync(db, now, db.Files.Where(f => f.ChatId == chatId), files.Value.DeletionGrace);
            await db.Chats.Where(c => c.Id == chatId).ExecuteDeleteAsync();
            await AdminGuard.AuditAsync(db, time, me, "Delete chat", "Chat", chatId.ToString(),
                Title(chat.Kind, chat.Name, chat.Members.Select(m => m.UserName!).ToList(), chat.Members.Count), reason);
            return chat.Members.Select(m => m.UserId).ToList();
        });
        if (memberIds is null)
        {
            return AdminResult.Refused("That chat no longer exists.");
        }

        ChatStore.Publish(bus, chatId, memberIds, new ChatDeleted(chatId));
        return AdminResult.Done;
    }

    /// <summary>Finds messages by text, sender and chat, newest first. The search itself is audited: admins read people's messages here.</summary>
    public async Task<PageOf<MessageRow>> SearchMessagesAsync(string? text, string? sender, int? chatId, int page, int pageSize)
    {
        var me = await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.Messages.Where(m => m.Kind == MessageKind.Text);
        if (!string.IsNullOrWhiteSpace(text))
        {
            query = query.Where(m => m.Body.Contains(text.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(sender))
        {
            var name = Accounts.UserNameNormalizer.Normalize(sender.Trim());
            query = query.Where(m => m.Sender != null && m.Sender.NormalizedUserName == name);
        }

        if (chatId is { } id)
        {
            query = query.Where(m => m.ChatId == id);
        }

        var total = await query.CountAsync();
        var rows = await query.OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id).Skip(page * pageSize).Take(pageSize)
            .Select(m => new
            {
                m.Id, m.ChatId, m.Seq, m.Body, m.SentAt, m.DeletedAt, m.RemovedByAdmin, m.EditedAt,
                Sender = m.Sender != null ? m.Sender.UserName : null,
                m.Chat!.Kind, m.Chat.Name,
                Members = m.Chat.Members.OrderBy(cm => cm.User!.NormalizedUserName).Select(cm => cm.User!.UserName!).Take(4).ToList(),
                MemberCount = m.Chat.Members.Count,
            })
            .ToListAsync();
        await AdminGuard.AuditAsync(db, time, me, "Read messages", "Messages", chatId?.ToString() ?? "*", null, null,
            $"text: {text?.Trim() ?? "(any)"}; sender: {sender?.Trim() ?? "(any)"}; page {page + 1}; {rows.Count} shown");
        return new(rows.Select(m => new MessageRow(
            m.Id, m.ChatId, Title(m.Kind, m.Name, m.Members, m.MemberCount), m.Seq, m.Sender ?? MessageView.DeletedUserName,
            m.DeletedAt is null ? m.Body : "",
            m.SentAt,
            m.RemovedByAdmin ? "removed by an admin" : m.DeletedAt is not null ? "deleted" : m.EditedAt is not null ? "edited" : null)).ToList(), total);
    }

    /// <summary>Removes a message for moderation: every open page replaces it with "removed by an admin".</summary>
    public async Task<AdminResult> RemoveMessageAsync(long messageId, string reason)
    {
        var me = await guard.RequireAdminAsync();
        if (AdminGuard.CheckReason(reason) is { } refused)
        {
            return AdminResult.Refused(refused);
        }

        // In the writer's transaction, like every change to a message: it takes the chat's next change number, so a
        // page that missed the event still catches up with the removal.
        var (refusal, removed, members) = await writer.ChangeAsync<(string?, MessageView?, List<string>?)>(async (db, now) =>
        {
            var message = await db.Messages.Include(m => m.Sender).FirstOrDefaultAsync(m => m.Id == messageId);
            if (message is null || message.Kind != MessageKind.Text)
            {
                return ("That message no longer exists.", null, null);
            }

            if (message.RemovedByAdmin)
            {
                return ("That message was already removed.", null, null);
            }

            message.Body = "";
            message.SearchText = null;
            message.DeletedAt = now;
            message.RemovedByAdmin = true;
            message.ChangeSeq = await ChatStore.NextChangeSeqAsync(db, message.ChatId);
            await db.SaveChangesAsync();
            await FileRecords.DeleteAsync(db, now, db.Files.Where(f => f.MessageId == messageId), files.Value.DeletionGrace);
            await AdminGuard.AuditAsync(db, time, me, "Remove message", "Message", messageId.ToString(),
                $"chat {message.ChatId}, #{message.Seq} by {message.Sender?.UserName ?? MessageView.DeletedUserName}", reason);
            var view = await db.Messages.Where(m => m.Id == messageId).Select(ChatStore.ToView).SingleAsync();
            return (null, view, await ChatStore.MemberIdsAsync(db, message.ChatId));
        });
        if (refusal is not null)
        {
            return AdminResult.Refused(refusal);
        }

        ChatStore.Publish(bus, removed!.ChatId, members!, new MessageChanged(removed));
        return AdminResult.Done;
    }

    private static string Title(ChatKind kind, string? name, IReadOnlyList<string> members, int memberCount) =>
        kind == ChatKind.Group
            ? name ?? "Group"
            : string.Join(" & ", members) + (memberCount > members.Count ? $" +{memberCount - members.Count}" : "");
}
