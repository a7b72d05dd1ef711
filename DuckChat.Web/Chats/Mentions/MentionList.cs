using DuckChat.Web.Accounts;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats.Mentions;

/// <summary>
/// My recent mentions across my chats, newest first: only in chats I am in now, never of deleted messages. A page
/// at a time, keyed by message id (newer messages have higher ids), from the mentions index.
/// </summary>
public sealed class MentionList(IDbContextFactory<ChatDbContext> factory, CurrentUser currentUser, MessageFormatter formatter, IOptions<Configuration.ChatOptions> options)
{
    private const int ExcerptLength = 200;

    /// <summary>A page of my mentions, older than the message <paramref name="beforeMessageId"/> when given.</summary>
    public async Task<IReadOnlyList<MentionOfMe>> PageAsync(long? beforeMessageId = null)
    {
        var (me, _) = await currentUser.GetAsync();
        var before = beforeMessageId ?? long.MaxValue;
        await using var db = await factory.CreateDbContextAsync();
        var rows = await db.MessageMentions
            .Where(x => x.UserId == me && x.MessageId < before && db.ChatMembers.Any(cm => cm.ChatId == x.ChatId && cm.UserId == me))
            .Join(db.Messages.Where(m => m.DeletedAt == null), x => x.MessageId, m => m.Id, (x, m) => new
            {
                m.Id, m.ChatId, m.Seq, m.Body, m.SentAt, SenderName = m.Sender != null ? m.Sender.UserName : null,
                m.Chat!.Kind, GroupName = m.Chat.Name,
            })
            .OrderByDescending(r => r.Id)
            .Take(options.Value.HistoryPageSize)
            .ToListAsync();
        return rows.Select(r => new MentionOfMe(
            r.Id, r.ChatId, r.Seq, r.SenderName ?? MessageView.DeletedUserName,
            r.Kind == ChatKind.Group ? r.GroupName ?? "Group" : r.SenderName ?? MessageView.DeletedUserName,
            formatter.Excerpt(r.Body, ExcerptLength), r.SentAt)).ToList();
    }
}

/// <summary>A message that mentions me, as the Mentions page lists it; its link opens the chat at it.</summary>
public sealed record MentionOfMe(long MessageId, int ChatId, long Seq, string SenderName, string ChatName, string Excerpt, DateTime SentAt)
{
    public string Link => $"/chats/{ChatId}?at={Seq}";
}
