using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Mentions;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>
/// What a page shows with each message beyond its own row: the quote of the message it answers, its reactions and
/// who it mentions, and its files. Read for a whole page at once (a few index reads, whatever its size), and for every way a page gets messages
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
        var mentioning = messages.Where(m => !m.Deleted && m.Kind == MessageKind.Text && m.Body.Contains('@')).Select(m => m.Id).ToList();
        var mentions = mentioning.Count == 0 ? [] : await MentionsOfAsync(db, mentioning);
        var files = (await db.Files.Where(f => f.MessageId != null && live.Contains(f.MessageId.Value) && f.State == FileState.Stored)
                .Select(f => new { MessageId = f.MessageId!.Value, f.UploadedAt, f.Id, f.Name, f.Size, f.ContentType, f.Inline, f.Width, f.Height, f.Thumbnail })
                .ToListAsync())
            .OrderBy(f => f.UploadedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
            .GroupBy(f => f.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<FileView>)g
                .Select(f => new FileView(f.Id, f.Name, f.Size, f.ContentType, f.Inline, f.Width, f.Height, f.Thumbnail == ThumbnailState.Ready)).ToList());
        var originals = replyIds.Count == 0
            ? []
            : await db.Messages.Where(m => replyIds.Contains(m.Id)).Select(ChatStore.ToView).ToDictionaryAsync(m => m.Id);
        if (reactions.Count == 0 && originals.Count == 0 && mentions.Count == 0 && files.Count == 0)
        {
            return messages;
        }

        return messages.Select(m => m with
        {
            Reactions = reactions.GetValueOrDefault(m.Id) ?? m.Reactions,
            Mentions = mentions.GetValueOrDefault(m.Id) ?? m.Mentions,
            Files = files.GetValueOrDefault(m.Id) ?? m.Files,
            ReplyTo = m.ReplyToId is { } original && !m.Deleted ? QuoteOf(originals.GetValueOrDefault(original), original, formatter) : null,
        }).ToList();
    }

    /// <summary>
    /// The people each message mentions by name, with their names now (an account deleted since is no longer
    /// highlighted), and whether it called the group at large: one row per message for that, not one per member.
    /// </summary>
    private static async Task<Dictionary<long, IReadOnlyList<Mention>>> MentionsOfAsync(ChatDbContext db, List<long> messageIds)
    {
        var people = await db.MessageMentions.Where(m => messageIds.Contains(m.MessageId) && m.Kind == MentionKind.Person)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.MessageId, m.UserId, u.UserName })
            .ToListAsync();
        var broadcasts = await db.MessageMentions.Where(m => messageIds.Contains(m.MessageId) && m.Kind != MentionKind.Person)
            .Select(m => new { m.MessageId, m.Kind }).Distinct().ToListAsync();
        return people.Select(p => (p.MessageId, Mention: new Mention(p.UserId, p.UserName!, MentionKind.Person)))
            .Concat(broadcasts.Select(b => (b.MessageId, Mention: new Mention(null, b.Kind == MentionKind.All ? Mention.All : Mention.Here, b.Kind))))
            .GroupBy(m => m.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Mention>)g.Select(m => m.Mention).OrderBy(m => m.Name, StringComparer.Ordinal).ToList());
    }

    public static async Task<MessageView> AddAsync(ChatDbContext db, MessageView message, MessageFormatter formatter) =>
        (await AddAsync(db, [message], formatter))[0];

    private static ReplyQuote QuoteOf(MessageView? original, long id, MessageFormatter formatter) =>
        original is null ? new ReplyQuote(id, 0, MessageView.DeletedUserName, "message deleted", true) : ReplyQuote.Of(original, formatter);
}
