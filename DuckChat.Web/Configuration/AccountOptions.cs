using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public sealed class AccountOptions
{
    [Range(6, 128, ErrorMessage = "must be between 6 and 128 characters.")]
    public int PasswordMinLength { get; set; } = 8;

    public bool PasswordRequireDigit { get; set; } = true;
    public bool PasswordRequireLowercase { get; set; } = true;
    public bool PasswordRequireUppercase { get; set; } = true;
    public bool PasswordRequireNonAlphanumeric { get; set; }

    [Range(1, 100, ErrorMessage = "must be between 1 and 100 attempts.")]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an open circuit re-checks that its user still exists and their security stamp is unchanged.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00.")]
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a password reset link (an admin's or a mailed one) works. It is Identity's data-protection token
    /// lifespan, so it also bounds the packaged pages' email confirmation and change-email links.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromDays(1);
}

public sealed class AdminOptions
{
    [Required(ErrorMessage = "must not be empty.")]
    public string UserName { get; set; } = "admin";

    public string? Email { get; set; }
    public string? Password { get; set; }
}

public sealed class DemoOptions
{
    /// <summary>Create demo users and chats when the database has no users.</summary>
    public bool Seed { get; set; }
}
