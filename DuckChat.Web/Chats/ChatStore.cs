using System.Linq.Expressions;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>The queries and writes the chat services share, so each rule (membership, Seq, preview) exists once.</summary>
public static class ChatStore
{
    private const int PreviewLength = 120;

    public static Task<bool> IsMemberAsync(ChatDbContext db, int chatId, string userId) =>
        db.ChatMembers.AnyAsync(m => m.ChatId == chatId && m.UserId == userId);

    public static Task<List<string>> MemberIdsAsync(ChatDbContext db, int chatId) =>
        db.ChatMembers.Where(m => m.ChatId == chatId).Select(m => m.UserId).ToListAsync();

    /// <summary>A chat's messages, but only for a member: for anyone else the query is empty.</summary>
    public static IQueryable<Message> MessagesOf(ChatDbContext db, int chatId, string me) =>
        db.Messages.Where(m => m.ChatId == chatId && db.ChatMembers.Any(cm => cm.ChatId == chatId && cm.UserId == me));

    public static readonly Expression<Func<Message, MessageView>> ToView = m =>
        new MessageView(m.Id, m.ChatId, m.Seq, m.SenderId, m.Sender != null ? m.Sender.UserName : null,
            m.DeletedAt != null ? "" : m.Body, m.SentAt, m.EditedAt, m.DeletedAt != null, m.Kind, m.RemovedByAdmin, m.ChangeSeq, m.ReplyToId);

    /// <summary>
    /// Counts one more change in the chat and returns the count, for the changed message's <see cref="Message.ChangeSeq"/>:
    /// inside the caller's transaction, whose first write this is, so changes to one chat are numbered in commit order.
    /// </summary>
    public static async Task<long> NextChangeSeqAsync(ChatDbContext db, int chatId) =>
        (await (db.Database.IsSqlServer()
            ? db.Database.SqlQuery<long>($"UPDATE [Chats] SET [LastChangeSeq] = [LastChangeSeq] + 1 OUTPUT inserted.[LastChangeSeq] AS [Value] WHERE [Id] = {chatId}")
            : db.Database.SqlQuery<long>($"UPDATE \"Chats\" SET \"LastChangeSeq\" = \"LastChangeSeq\" + 1 WHERE \"Id\" = {chatId} RETURNING \"LastChangeSeq\" AS \"Value\""))
            .ToListAsync()).Single();

    /// <summary>
    /// Appends a system line inside the caller's open transaction: the chat's next Seq is taken by the transaction's
    /// first write (so concurrent writers queue on the chat row); the trigger moves the sender's read position.
    /// People's messages go through the writer instead (<see cref="Writing.ChatWriter"/>).
    /// </summary>
    public static async Task<MessageView> AppendAsync(
        ChatDbContext db, int chatId, (string Id, string Name) sender, MessageKind kind, string body, Guid clientMessageId, DateTime now)
    {
        await db.Chats.Where(c => c.Id == chatId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSeq, c => c.LastSeq + 1).SetProperty(c => c.LastMessageAt, now));
        var seq = await db.Chats.Where(c => c.Id == chatId).Select(c => c.LastSeq).SingleAsync();
        var message = new Message
        {
            ChatId = chatId, Seq = seq, Kind = kind, SenderId = sender.Id, Body = body, SentAt = now, ClientMessageId = clientMessageId,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return new MessageView(message.Id, chatId, seq, sender.Id, sender.Name, body, now, null, false, kind);
    }

    /// <summary>Rings the bell for a chat's open pages and for each of the given members' tabs.</summary>
    public static void Publish(IMessageBus bus, int chatId, IEnumerable<string> memberIds, BusEvent busEvent)
    {
        bus.Publish(Topics.Chat(chatId), busEvent);
        foreach (var member in memberIds)
        {
            bus.Publish(Topics.User(member), busEvent);
        }
    }

    /// <summary>
    /// As <see cref="Publish(IMessageBus, int, IEnumerable{string}, BusEvent)"/>, but each member the message mentions
    /// gets <paramref name="toMentioned"/> on their own topic instead (the same event, saying it mentions them).
    /// </summary>
    public static void Publish(IMessageBus bus, int chatId, IEnumerable<string> memberIds, BusEvent busEvent, BusEvent toMentioned, IEnumerable<string> mentionedIds)
    {
        var mentioned = mentionedIds.ToHashSet();
        bus.Publish(Topics.Chat(chatId), busEvent);
        foreach (var member in memberIds)
        {
            bus.Publish(Topics.User(member), mentioned.Contains(member) ? toMentioned : busEvent);
        }
    }

    /// <summary>A one-line preview for the chat list: who said what, as plain text, cut to fit a row.</summary>
    public static string Preview(MessageView message, MessageFormatter formatter) =>
        message.Kind == MessageKind.System || message.Deleted
            ? MessageFormatter.OneLine(message.DisplayText, PreviewLength)
            : $"{message.SenderDisplayName}: {formatter.Excerpt(message.Body, PreviewLength)}";
}
