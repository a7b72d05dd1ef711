using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>
/// Where I have read up to, per chat. Unread is always Chat.LastSeq − my LastReadSeq: nothing is counted up
/// or down, so a badge cannot drift. Reading moves the position through <see cref="ReadPositionQueue"/>.
/// </summary>
public sealed class ReadService(IDbContextFactory<ChatDbContext> factory, CurrentUser currentUser, PersonRateLimits rateLimits, IMessageBus bus)
{
    /// <summary>Sets my read position to just before the message with <paramref name="seq"/>: it and all after it are unread.</summary>
    public async Task<ChangeResult> MarkUnreadAsync(int chatId, long seq)
    {
        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        var position = Math.Max(0, seq - 1);
        await using var db = await factory.CreateDbContextAsync();
        var moved = await db.ChatMembers
            .Where(m => m.ChatId == chatId && m.UserId == me && m.Chat!.LastSeq >= seq)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, position));
        if (moved == 0)
        {
            return ChangeResult.NotFound;
        }

        bus.Publish(Topics.User(me), new ReadPositionChanged(me, chatId, position));
        return ChangeResult.Done(chatId);
    }

    /// <summary>For each of my chats (or just <paramref name="chatId"/>): its last Seq and my read position.</summary>
    public async Task<Dictionary<int, ReadState>> GetReadStatesAsync(int? chatId = null)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await db.ChatMembers.Where(m => m.UserId == me && (chatId == null || m.ChatId == chatId))
            .Select(m => new { m.ChatId, m.Chat!.LastSeq, m.LastReadSeq })
            .ToDictionaryAsync(m => m.ChatId, m => new ReadState(m.LastSeq, m.LastReadSeq));
    }
}

public readonly record struct ReadState(long LastSeq, long LastReadSeq)
{
    public long Unread => Math.Max(0, LastSeq - LastReadSeq);
}
