using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

/// <summary>What a missed-messages mail says: the messages themselves (a few excerpts), or only how many there are.</summary>
public enum MissedMailContent { Excerpts = 0, CountOnly = 1 }

/// <summary>
/// Mail to people who were away about the direct messages and mentions they have not read (DuckChat:MissedMail).
/// Sent only when a mail server is configured (DuckChat:Smtp:Host).
/// </summary>
public sealed class MissedMailOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long someone must have been away (not seen) before they get a mail, and the least time between two mails
    /// to one person.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan After { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each instance looks for people to mail.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public MissedMailContent Content { get; set; } = MissedMailContent.Excerpts;

    /// <summary>Most people one query of a look reads; a look reads page after page until it has seen everyone due.</summary>
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000.")]
    public int PeoplePerPass { get; set; } = 100;

    /// <summary>Most messages one mail lists; it says how many more there are.</summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100.")]
    public int MaxItems { get; set; } = 5;

    /// <summary>Longest excerpt of a listed message, in characters.</summary>
    [Range(10, 1000, ErrorMessage = "must be between 10 and 1000.")]
    public int ExcerptLength { get; set; } = 140;

    /// <summary>How long the unsubscribe link in a mail works.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan UnsubscribeLinkLifetime { get; set; } = TimeSpan.FromDays(30);
}
