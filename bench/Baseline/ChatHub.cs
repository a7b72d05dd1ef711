using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Bench.Baseline;

/// <summary>
/// A chat hub with nothing but the essentials: join a chat, read a page of history, send. Reads go through DuckChat's
/// <see cref="ChatStore"/> on SQLite and writes keep the transaction DuckChat had when the floor was first measured,
/// without DuckChat's sign-in, membership re-checks, idempotency lookup, rate limit or per-member topics.
/// </summary>
public sealed class ChatHub(IDbContextFactory<SqliteChatDbContext> factory, TimeProvider time) : Hub
{
    private const int HistoryPageSize = 50;

    private string UserId => Context.GetHttpContext()?.Request.Query["user"].ToString() ?? "";

    private string UserName => Context.GetHttpContext()?.Request.Query["name"].ToString() ?? "";

    /// <summary>Joins the chat's group and returns its newest page of history, oldest first.</summary>
    public async Task<IReadOnlyList<MessageView>> Join(int chatId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(chatId));
        return await History(chatId, null);
    }

    /// <summary>The page of history before <paramref name="beforeSeq"/> (the newest page when null), oldest first.</summary>
    public async Task<IReadOnlyList<MessageView>> History(int chatId, long? beforeSeq)
    {
        await using var db = await factory.CreateDbContextAsync();
        var before = beforeSeq ?? long.MaxValue;
        var page = await ChatStore.MessagesOf(db, chatId, UserId)
            .Where(m => m.Seq < before)
            .OrderByDescending(m => m.Seq)
            .Take(HistoryPageSize)
            .Select(ChatStore.ToView)
            .ToListAsync();
        page.Reverse();
        return page;
    }

    /// <summary>Saves the message (next Seq in the inserting transaction) and broadcasts it to the chat, sender included.</summary>
    public async Task Send(int chatId, string body, Guid clientMessageId)
    {
        await using var db = await factory.CreateDbContextAsync();
        MessageView saved;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            saved = await AppendAsync(db, chatId, body, clientMessageId, time.GetUtcNow().UtcDateTime);
            await transaction.CommitAsync();
        }

        await Clients.Group(Group(chatId)).SendAsync("message", saved);
    }

    private static string Group(int chatId) => $"chat:{chatId}";

    /// <summary>
    /// The append the floor was first measured with, kept as it was: the chat's next Seq by the transaction's first
    /// write, the insert, then the sender's read position.
    /// </summary>
    private async Task<MessageView> AppendAsync(SqliteChatDbContext db, int chatId, string body, Guid clientMessageId, DateTime now)
    {
        await db.Chats.Where(c => c.Id == chatId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSeq, c => c.LastSeq + 1).SetProperty(c => c.LastMessageAt, now));
        var seq = await db.Chats.Where(c => c.Id == chatId).Select(c => c.LastSeq).SingleAsync();
        var message = new Message
        {
            ChatId = chatId, Seq = seq, Kind = MessageKind.Text, SenderId = UserId, Body = body, SentAt = now, ClientMessageId = clientMessageId,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == UserId && m.LastReadSeq < seq)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, seq));
        return new MessageView(message.Id, chatId, seq, UserId, UserName, body, now, null, false);
    }
}
