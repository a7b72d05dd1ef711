using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>
/// What a page shows with each message beyond its own row: the quote of the message it answers and its reactions.
/// Read for a whole page at once (two index reads, whatever its size), and for every way a page gets messages
/// (history, catch-up, live changes), so that a fresh load and a page kept live show the same.
/// </summary>
public static class MessageDetails
{
    public static async Task<List<MessageView>> AddAsync(ChatDbContext db, List<MessageView> messages, MessageFormatter formatter)
    {
        var live = messages.Where(m => !m.Deleted && m.Kind == MessageKind.Text).Select(m => m.Id).ToList();
        var replyIds = messages.Where(m => !m.Deleted && m.ReplyToId is not null).Select(m => m.ReplyToId!.Value).Distinct().ToList();
        if (live.Count == 0)
        {
            return messages;
        }

        var reactions = (await db.MessageReactions
                .Where(r => live.Contains(r.MessageId))
                .OrderBy(r => r.ReactedAt).ThenBy(r => r.UserId)
                .Select(r => new { r.MessageId, r.Emoji, r.UserId, Name = db.Users.Where(u => u.Id == r.UserId).Select(u => u.UserName).FirstOrDefault() })
                .ToListAsync())
            .GroupBy(r => r.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ReactionGroup>)g.GroupBy(r => r.Emoji)
                .Select(e => new ReactionGroup(e.Key, e.Select(r => r.UserId).ToList(), e.Select(r => r.Name ?? MessageView.DeletedUserName).ToList()))
                .ToList());
        var originals = replyIds.Count == 0
            ? []
            : await db.Messages.Where(m => replyIds.Contains(m.Id)).Select(ChatStore.ToView).ToDictionaryAsync(m => m.Id);
        if (reactions.Count == 0 && originals.Count == 0)
        {
            return messages;
        }

        return messages.Select(m => m with
        {
            Reactions = reactions.GetValueOrDefault(m.Id) ?? m.Reactions,
            ReplyTo = m.ReplyToId is { } original && !m.Deleted ? QuoteOf(originals.GetValueOrDefault(original), original, formatter) : null,
        }).ToList();
    }

    public static async Task<MessageView> AddAsync(ChatDbContext db, MessageView message, MessageFormatter formatter) =>
        (await AddAsync(db, [message], formatter))[0];

    private static ReplyQuote QuoteOf(MessageView? original, long id, MessageFormatter formatter) =>
        original is null ? new ReplyQuote(id, 0, MessageView.DeletedUserName, "message deleted", true) : ReplyQuote.Of(original, formatter);
}
