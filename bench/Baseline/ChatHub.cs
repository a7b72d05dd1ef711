using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Bench.Baseline;

/// <summary>
/// A chat hub with nothing but the essentials: join a chat, read a page of history, send. Reads and writes go
/// through DuckChat's <see cref="ChatStore"/> on SQLite (same queries, same transaction shape), without DuckChat's
/// sign-in, membership re-checks, idempotency lookup, rate limit or per-member topics.
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
            saved = await ChatStore.AppendAsync(db, chatId, (UserId, UserName), MessageKind.Text, body, clientMessageId, time.GetUtcNow().UtcDateTime);
            await transaction.CommitAsync();
        }

        await Clients.Group(Group(chatId)).SendAsync("message", saved);
    }

    private static string Group(int chatId) => $"chat:{chatId}";
}
