using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public sealed class ChatOptions : IValidatableObject
{
    /// <summary>Longest message body, in UTF-16 code units (what a textarea's maxlength and string.Length count).</summary>
    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000 characters.")]
    public int MaxMessageLength { get; set; } = 4000;

    [Range(10, 500, ErrorMessage = "must be between 10 and 500 messages.")]
    public int HistoryPageSize { get; set; } = 50;

    /// <summary>Most messages an open chat page holds, however it is paged; a trimmed end loads again when scrolled back to.</summary>
    [Range(10, 100_000, ErrorMessage = "must be between 10 and 100000 messages.")]
    public int MaxShownMessages { get; set; } = 200;

    [Range(5, 200, ErrorMessage = "must be between 5 and 200 chats.")]
    public int ChatListPageSize { get; set; } = 30;

    /// <summary>
    /// The chat list shows new activity (previews, order, badges) at most this often; the first change shows at once.
    /// A hidden tab's list waits until it is shown.
    /// </summary>
    [Range(0, 10_000, ErrorMessage = "must be between 0 and 10000 milliseconds.")]
    public int ChatListPaceMilliseconds { get; set; } = 1_000;

    [Range(5, 100, ErrorMessage = "must be between 5 and 100 users.")]
    public int SearchPageSize { get; set; } = 20;

    [Range(1, Data.Chat.NameMaxLength, ErrorMessage = "must be between 1 and 100 characters.")]
    public int GroupNameMaxLength { get; set; } = 64;

    /// <summary>Most people in one group, its owner included.</summary>
    [Range(2, 100_000, ErrorMessage = "must be between 2 and 100000 people.")]
    public int MaxGroupSize { get; set; } = 256;

    /// <summary>Most different emoji on one message (each person may add each once).</summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100 emoji.")]
    public int MaxReactionsPerMessage { get; set; } = 20;

    /// <summary>How long after sending a message its sender may edit it; empty means no limit.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "must be between 00:00:01 and 3650.00:00:00, or empty for no limit.")]
    public TimeSpan? EditWindow { get; set; }

    /// <summary>Messages a person may send at once before the steady rate applies.</summary>
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000 messages.")]
    public int SendBurst { get; set; } = 30;

    /// <summary>Messages per second a person may keep sending after the burst.</summary>
    [Range(0.01, 1_000, ErrorMessage = "must be between 0.01 and 1000 messages per second.")]
    public double SendPerSecond { get; set; } = 5;

    /// <summary>Other changes (groups, members, edits, deletes, mark-unread, preferences) a person may make at once.</summary>
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000 changes.")]
    public int WriteBurst { get; set; } = 20;

    /// <summary>Other changes per second a person may keep making after the burst.</summary>
    [Range(0.01, 1_000, ErrorMessage = "must be between 0.01 and 1000 changes per second.")]
    public double WritePerSecond { get; set; } = 1;

    /// <summary>Messages calling the whole group (<c>@all</c>, <c>@here</c>) a person may send at once: each may notify hundreds of people.</summary>
    [Range(1, 1_000, ErrorMessage = "must be between 1 and 1000 messages.")]
    public int MentionAllBurst { get; set; } = 3;

    /// <summary>Messages calling the whole group a person may keep sending per hour after the burst.</summary>
    [Range(0.01, 10_000, ErrorMessage = "must be between 0.01 and 10000 messages per hour.")]
    public double MentionAllPerHour { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxShownMessages < HistoryPageSize)
        {
            yield return new ValidationResult(
                $"must be at least HistoryPageSize ({HistoryPageSize}): an open page shows a whole page of history.", [nameof(MaxShownMessages)]);
        }
    }
}
