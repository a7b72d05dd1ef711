using DuckChat.Web.Accounts;
using DuckChat.Web.Data;

namespace DuckChat.Web.Mail;

/// <summary>
/// What counts as missed, for the look for people to mail and for the mail itself, so both follow one rule: a member's
/// unread people's messages (not deleted, not their own, above their read position) in a chat they are in now, that
/// are direct messages or mention them; a chat muted entirely counts nothing, one muted except for mentions only its
/// mentions.
/// </summary>
public static class MissedMessages
{
    // Built with an object initializer (not a constructor) so that EF can go on filtering by its members.
    public sealed class Row
    {
        public required ApplicationUser User { get; init; }
        public required ChatMember Member { get; init; }
        public required Chat Chat { get; init; }
        public required Message Message { get; init; }
    }

    public static IQueryable<Row> Unread(ChatDbContext db) =>
        from member in db.ChatMembers
        where member.Mute != MuteLevel.Everything
        join user in db.Users on member.UserId equals user.Id
        join chat in db.Chats on member.ChatId equals chat.Id
        join message in db.Messages on member.ChatId equals message.ChatId
        where message.Seq > member.LastReadSeq && message.DeletedAt == null && message.Kind == MessageKind.Text
            && message.SenderId != member.UserId
            && ((chat.Kind == ChatKind.Direct && member.Mute == MuteLevel.None)
                || db.MessageMentions.Any(mention => mention.MessageId == message.Id && mention.UserId == member.UserId))
        select new Row { User = user, Member = member, Chat = chat, Message = message };
}
