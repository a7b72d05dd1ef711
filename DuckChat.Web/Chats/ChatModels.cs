using DuckChat.Web.Data;

namespace DuckChat.Web.Chats;

/// <summary>
/// A message as a page shows it. <see cref="SenderName"/> is null once the sender's account is deleted.
/// <see cref="ChangeSeq"/> orders its versions: a page keeps the one with the highest. <see cref="ReplyTo"/>,
/// <see cref="Reactions"/>, <see cref="Mentions"/> and <see cref="Files"/> are filled by <see cref="MessageDetails"/> wherever messages are read for a page.
/// </summary>
public sealed record MessageView(
    long Id, int ChatId, long Seq, string? SenderId, string? SenderName, string Body, DateTime SentAt, DateTime? EditedAt, bool Deleted,
    MessageKind Kind = MessageKind.Text, bool RemovedByAdmin = false, long ChangeSeq = 0, long? ReplyToId = null)
{
    public ReplyQuote? ReplyTo { get; init; }

    public IReadOnlyList<ReactionGroup> Reactions { get; init; } = [];

    /// <summary>Who the message mentions (people by id, or the group at large): highlighted where its text names them.</summary>
    public IReadOnlyList<Mentions.Mention> Mentions { get; init; } = [];

    /// <summary>The files sent with it, in the order they were attached.</summary>
    public IReadOnlyList<Files.FileView> Files { get; init; } = [];

    public const string DeletedUserName = "deleted user";

    public string SenderDisplayName => SenderName ?? DeletedUserName;

    /// <summary>What the chat shows: a system line reads "alice added carol"; a deleted message says so.</summary>
    public string DisplayText => Kind == MessageKind.System ? $"{SenderDisplayName} {Body}"
        : RemovedByAdmin ? "removed by an admin"
        : Deleted ? "message deleted"
        : Body;
}

/// <summary>
/// What a reply shows of the message it answers: who wrote it and the start of its text, or that it is gone. It
/// follows the original: an edit or removal of the original changes the quote on every page.
/// </summary>
public sealed record ReplyQuote(long Id, long Seq, string SenderDisplayName, string Excerpt, bool Gone, long ChangeSeq = 0)
{
    public const int ExcerptLength = 100;

    public static ReplyQuote Of(MessageView original, Formatting.MessageFormatter formatter) => new(
        original.Id, original.Seq, original.SenderDisplayName,
        original.Deleted ? original.DisplayText : formatter.Excerpt(original.Body, ExcerptLength), original.Deleted, original.ChangeSeq);
}

/// <summary>Everyone who put one emoji on a message, in the order they did.</summary>
public sealed record ReactionGroup(string Emoji, IReadOnlyList<string> UserIds, IReadOnlyList<string> Names)
{
    public int Count => UserIds.Count;

    public bool Includes(string userId) => UserIds.Contains(userId);
}

/// <summary>An open chat's header: what its page needs before the history. <see cref="LastChangeSeq"/> is read before any message, so catch-up misses no change.</summary>
public sealed record ChatHeader(int Id, ChatKind Kind, string Name, IReadOnlyList<ChatMemberView> Members, long MyLastReadSeq, bool IAmOwner, long LastChangeSeq = 0);

public sealed record ChatMemberView(string UserId, string UserName, ChatRole Role);

/// <summary>One entry of my chat list: the chat's name, its last message and when.</summary>
public sealed record ChatSummary(int Id, ChatKind Kind, string Name, DateTime ActivityAt, long LastSeq, string? Preview)
{
    /// <summary>The key the list is ordered and paged by: newest activity first, then the higher id.</summary>
    public ChatListCursor Cursor => new(ActivityAt, Id);
}

public readonly record struct ChatListCursor(DateTime ActivityAt, int Id);

public sealed record UserHit(string Id, string UserName);

/// <summary>A name the mention picker offers; <see cref="InChat"/> false: mentioning them tells them nothing.</summary>
public sealed record MentionCandidate(string Name, bool InChat);

public enum OpenDirectOutcome { Opened, UserNotFound, Self }

public sealed record OpenDirectResult(OpenDirectOutcome Outcome, int ChatId = 0);

/// <summary>
/// What became of a send. <see cref="Failed"/>: the server could not save it (or the sender was signed out);
/// <see cref="TooManyFiles"/>: more than DuckChat:Files:MaxFilesPerMessage; <see cref="FileGone"/>: a file was deleted or expired before the send.
/// </summary>
public enum SendOutcome { Sent, Empty, TooLong, RateLimited, NotFound, Failed, TooManyFiles, FileGone }

/// <summary>
/// What became of a send: the saved message, or why nothing was saved. <see cref="NotInChat"/>: people it names who
/// are not in the chat (so it told them nothing).
/// </summary>
public sealed record SendResult(SendOutcome Outcome, MessageView? Message = null, string? Error = null, IReadOnlyList<UserHit>? NotInChat = null)
{
    public bool Succeeded => Outcome == SendOutcome.Sent;

    /// <summary>Whether sending the same text again, with the same client message id, may still save it later.</summary>
    public bool MayRetry => Outcome is SendOutcome.RateLimited or SendOutcome.Failed;
}

/// <summary>
/// A send: its text and the ids of the files uploaded for it, under the client message id that saves it at most once.
/// The browser keeps it until the server confirms it (the page shows it as not sent yet meanwhile).
/// </summary>
public sealed record PendingSend(Guid ClientMessageId, string Text, IReadOnlyList<string>? FileIds = null);

/// <summary>What became of a group or message change: done (with the changed message, for a message), or why not (shown to the person as is).</summary>
public sealed record ChangeResult(bool Succeeded, string? Error = null, int ChatId = 0, MessageView? Changed = null)
{
    public static ChangeResult Done(int chatId = 0, MessageView? changed = null) => new(true, ChatId: chatId, Changed: changed);

    public static ChangeResult Refused(string error) => new(false, error);

    public static readonly ChangeResult NotFound = Refused("This chat does not exist, or you are not in it.");

    public static readonly ChangeResult TooFast = Refused(PersonRateLimits.TooManyChanges);
}

/// <summary>A run of a chat's messages, oldest first, and whether newer ones existed after it when it was read.</summary>
public sealed record MessagePage(IReadOnlyList<MessageView> Messages, bool HasNewer);
