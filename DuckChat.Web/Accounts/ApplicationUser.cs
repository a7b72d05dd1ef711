using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Accounts;

/// <summary>A DuckChat account. <see cref="IdentityUser.UserName"/> is the public handle; the email stays private.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int UserNameMinLength = 3;
    public const int UserNameMaxLength = 32;
    public const int UserNameSkeletonMaxLength = 256;

    /// <summary>Dark is the default, as it was in the original DuckChat.</summary>
    public bool DarkMode { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    /// <summary>What notifies this person (desktop, push and email): direct messages and mentions unless they choose otherwise.</summary>
    public NotifyLevel Notify { get; set; }

    public DateTime? LastSeenAt { get; set; }

    /// <summary>Shown as offline to everyone, whatever tabs are open (the person's own switch, on the account page).</summary>
    public bool AppearOffline { get; set; }

    /// <summary>
    /// When the newest missed-messages mail was claimed for this person (Mail/MissedMailScanner): that mail covers
    /// messages up to this time, and the next may not be claimed before a window has passed.
    /// </summary>
    public DateTime? MissedMailAt { get; set; }

    /// <summary>The person turned missed-messages mail off (from a mail's link, or on the account page).</summary>
    public bool MissedMailOff { get; set; }

    /// <summary>
    /// Counts changes of <see cref="MissedMailOff"/>. Unsubscribe links carry the count they were made at, so each works
    /// once: using one, or changing the setting on the account page, voids every link made before.
    /// </summary>
    public int MissedMailLinkVersion { get; set; }

    /// <summary>
    /// The username as it looks (its Unicode confusables skeleton): two names with one
    /// skeleton could be mistaken for each other, so a new name may not take an existing one's. Null until computed.
    /// </summary>
    public string? UserNameSkeleton { get; set; }
}

public enum NotifyLevel { DirectAndMentions = 0, All = 1, Nothing = 2 }
