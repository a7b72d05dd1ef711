namespace DuckChat.Web.Data;

public enum ChatKind { Direct = 0, Group = 1 }

public enum ChatRole { Member = 0, Owner = 1 }

/// <summary>A person's message, or a line the system writes into the chat ("alice added carol").</summary>
public enum MessageKind { Text = 0, System = 1 }

/// <summary>How a chat that a member muted still reaches them: a mention only, or nothing at all.</summary>
public enum MuteLevel { None = 0, ExceptMentions = 1, Everything = 2 }

/// <summary>Why a person is mentioned: by name, as one of the group's members online (<c>@here</c>), or as every member (<c>@all</c>).</summary>
public enum MentionKind { Person = 0, Here = 1, All = 2 }

public sealed class Chat
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public ChatKind Kind { get; set; }

    /// <summary>The group's name; direct chats are named after the other person.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// For direct chats, the two user ids in ordinal order joined by '|' (ids never contain it); unique, so a
    /// pair has one chat and finding it is an index seek.
    /// </summary>
    public string? DirectKey { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The Seq of the newest message; the next message gets LastSeq + 1 in the inserting transaction.</summary>
    public long LastSeq { get; set; }

    public DateTime? LastMessageAt { get; set; }

    /// <summary>
    /// Counts the changes to the chat's messages (edits, deletes, removals, reactions); each changed message is stamped
    /// with the count at its change (<see cref="Message.ChangeSeq"/>), so a page that was away asks for what changed
    /// after the last change it saw, as it asks for messages after the last Seq.
    /// </summary>
    public long LastChangeSeq { get; set; }

    public List<ChatMember> Members { get; set; } = [];

    public static string DirectKeyFor(string userId, string otherUserId) =>
        string.CompareOrdinal(userId, otherUserId) < 0 ? $"{userId}|{otherUserId}" : $"{otherUserId}|{userId}";
}

public sealed class ChatMember
{
    public int ChatId { get; set; }
    public string UserId { get; set; } = "";
    public ChatRole Role { get; set; }
    public DateTime JoinedAt { get; set; }

    /// <summary>Seq of the newest message this member has seen; unread = Chat.LastSeq - LastReadSeq.</summary>
    public long LastReadSeq { get; set; }

    /// <summary>A muted chat still counts its unread messages (dimmed), but leaves the title's total and notifies at most of mentions.</summary>
    public MuteLevel Mute { get; set; }

    public Chat? Chat { get; set; }
    public Accounts.ApplicationUser? User { get; set; }
}

public sealed class Message
{
    public long Id { get; set; }
    public int ChatId { get; set; }

    /// <summary>Position in the chat: 1, 2, 3, ... without holes, unique with ChatId. Order is Seq, never a clock.</summary>
    public long Seq { get; set; }

    public MessageKind Kind { get; set; }

    /// <summary>Null once the sender's account is deleted (the message stays, shown as from a deleted user).</summary>
    public string? SenderId { get; set; }

    public string Body { get; set; } = "";
    public DateTime SentAt { get; set; }

    /// <summary>Chosen by the composer for each send; unique with SenderId, so a retry returns the first message.</summary>
    public Guid ClientMessageId { get; set; }

    public DateTime? EditedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>Set with DeletedAt when an admin removed the message for moderation (shown as "removed by an admin").</summary>
    public bool RemovedByAdmin { get; set; }

    /// <summary>The chat's <see cref="Chat.LastChangeSeq"/> when this message last changed; 0 if it never did.</summary>
    public long ChangeSeq { get; set; }

    /// <summary>
    /// The message this one answers, always in the same chat. No foreign key: the column is added to the table as it is
    /// (a key would rebuild the table and its trigger), and a message is never removed alone, only with its chat.
    /// </summary>
    public long? ReplyToId { get; set; }

    /// <summary>
    /// What search matches (<see cref="Search.SearchText.ForIndex"/>); null for a deleted or removed message and for a
    /// system line, so they are never found. The index follows it through triggers (<see cref="Search.SearchIndex"/>).
    /// </summary>
    public string? SearchText { get; set; }

    public Chat? Chat { get; set; }
    public Accounts.ApplicationUser? Sender { get; set; }
}

/// <summary>One person's emoji on a message. The user id stays when the account is deleted (shown as a deleted user), so counts never change behind a page's back.</summary>
public sealed class MessageReaction
{
    public const int EmojiMaxLength = 32;

    public long MessageId { get; set; }
    public string Emoji { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTime ReactedAt { get; set; }
}

/// <summary>
/// A member who is told of a message because it mentions them. Rows exist only for members other than the sender,
/// made in the transaction that saves (or edits) the message, so someone outside the chat is never told. The user id
/// stays when the account is deleted, and a new account that takes the name is a different id: a mention never moves.
/// </summary>
public sealed class MessageMention
{
    public long MessageId { get; set; }
    public string UserId { get; set; } = "";
    public int ChatId { get; set; }

    /// <summary>The message's Seq: a mention is unread while it is above the member's read position.</summary>
    public long Seq { get; set; }

    public MentionKind Kind { get; set; }
}
