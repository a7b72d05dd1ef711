using DuckChat.Web.Accounts;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats.Reading;

/// <summary>
/// Where I have read up to, per chat, as a circuit asks for it and moves it. Unread is always Chat.LastSeq − my
/// LastReadSeq: nothing is counted up or down, so a badge cannot drift. Positions are saved by the server's
/// <see cref="ChatWriter"/>, which checks in the statement that the reader's sign-in still holds.
/// </summary>
public sealed class ReadPositions(
    IDbContextFactory<ChatDbContext> factory,
    CurrentUser currentUser,
    ChatWriter writer,
    PersonRateLimits rateLimits,
    IMessageBus bus)
{
    /// <summary>Saves, now or within <see cref="ChatWriter.ReadPositionInterval"/>, that I have read chat <paramref name="chatId"/> up to <paramref name="seq"/>.</summary>
    public async Task AdvanceAsync(int chatId, long seq) => writer.AdvanceReadPosition(new ReadPosition(await currentUser.GetClaimedAsync(), chatId, seq));

    /// <summary>
    /// Sets my read position to just before the message with <paramref name="seq"/>: it and all after it are unread.
    /// Written in the writer's order, after the positions it saved and instead of any still waiting.
    /// </summary>
    public async Task<ChangeResult> MarkUnreadAsync(int chatId, long seq)
    {
        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        var position = Math.Max(0, seq - 1);
        var moved = await writer.ChangeReadPositionAsync(me, chatId, db => db.ChatMembers
            .Where(m => m.ChatId == chatId && m.UserId == me && m.Chat!.LastSeq >= seq)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, position)));
        if (moved == 0)
        {
            return ChangeResult.NotFound;
        }

        bus.Publish(Topics.User(me), new ReadPositionChanged(me, chatId, position));
        return ChangeResult.Done(chatId);
    }

    /// <summary>
    /// For each of my chats (or just <paramref name="chatId"/>): its last Seq, my read position, the newest unread
    /// message that mentions me (0: none) and whether I muted it.
    /// </summary>
    public async Task<Dictionary<int, ReadState>> GetStatesAsync(int? chatId = null)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await db.ChatMembers.Where(m => m.UserId == me && (chatId == null || m.ChatId == chatId))
            .Select(m => new
            {
                m.ChatId, m.Chat!.LastSeq, m.LastReadSeq, m.Mute,
                LastMentionSeq = db.MessageMentions
                    .Where(x => x.UserId == me && x.ChatId == m.ChatId && x.Seq > m.LastReadSeq
                        && db.Messages.Any(message => message.Id == x.MessageId && message.DeletedAt == null))
                    .Max(x => (long?)x.Seq),
            })
            .ToDictionaryAsync(m => m.ChatId, m => new ReadState(m.LastSeq, m.LastReadSeq, m.LastMentionSeq ?? 0, m.Mute));
    }
}

/// <summary>A chat's newest Seq, my read position in it, the newest message there that mentions me, and whether I muted it.</summary>
public readonly record struct ReadState(long LastSeq, long LastReadSeq, long LastMentionSeq = 0, MuteLevel Mute = MuteLevel.None)
{
    public long Unread => Math.Max(0, LastSeq - LastReadSeq);

    /// <summary>A message that mentions me is unread (the list's "@" badge).</summary>
    public bool MentionUnread => LastMentionSeq > LastReadSeq;
}
