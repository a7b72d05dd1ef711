using DuckChat.Web.Data.Queues;

namespace DuckChat.Web.Mail;

public enum MailKind
{
    /// <summary>Reset links for every account with the recipient address (none: nothing is sent).</summary>
    PasswordReset = 0,

    /// <summary>
    /// Direct messages and mentions one person missed: the recipient is their user id, and the mail lists what is still
    /// unread of what arrived between <see cref="QueuedMail.AboutFrom"/> and <see cref="QueuedMail.AboutUntil"/>.
    /// </summary>
    MissedMessages = 1,
}

/// <summary>
/// A mail to send. The request that asks for it only queues it, so answering takes the same time whether or not an
/// account has the address; what the mail says (a reset link, say) is made when it is sent, so no secret waits in
/// the table. An instance claims a row before sending it, so several instances never send one mail twice.
/// </summary>
public sealed class QueuedMail : IQueuedWork
{
    public const int RecipientMaxLength = 256;
    public const int ClaimedByMaxLength = 64;

    public long Id { get; set; }
    public MailKind Kind { get; set; }
    public string Recipient { get; set; } = "";
    public DateTime QueuedAt { get; set; }

    public DateTime DueAt { get; set; }

    public int Attempts { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    /// <summary>For mail about messages: the span of time whose messages it covers (no start: from the first).</summary>
    public DateTime? AboutFrom { get; set; }

    /// <inheritdoc cref="AboutFrom"/>
    public DateTime? AboutUntil { get; set; }
}
