using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Accounts;

/// <summary>A DuckChat account. <see cref="IdentityUser.UserName"/> is the public handle; the email stays private.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int UserNameMinLength = 3;
    public const int UserNameMaxLength = 32;

    /// <summary>Dark is the default, as it was in the original DuckChat.</summary>
    public bool DarkMode { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSeenAt { get; set; }
}
