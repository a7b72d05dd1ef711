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

    /// <summary>
    /// Wrong passwords for one account name from one address (an IPv6 /64) within <see cref="LockoutDuration"/>, after
    /// which that address's attempts for that name are answered as wrong without being checked, until the window ends.
    /// The account itself is never locked by failures: only an admin locks accounts.
    /// </summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100 attempts.")]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    /// <summary>How long failed log-ins are counted, from the first of them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong passwords for one account name from all addresses together, after which every attempt for it waits <see cref="LogInSlowdownDelay"/>.</summary>
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000 attempts.")]
    public int LogInSlowdownAfterFailures { get; set; } = 20;

    /// <summary>How long each log-in of an account under attack waits before its password is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "must be between 00:00:00 and 00:01:00.")]
    public TimeSpan LogInSlowdownDelay { get; set; } = TimeSpan.FromSeconds(3);

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

    /// <summary>The admin account's first password: set when the account is created, not at every start.</summary>
    public string? Password { get; set; }

    /// <summary>Set <see cref="Password"/> at start-up even though the account exists (a forgotten admin password); turn off again afterwards.</summary>
    public bool ResetPassword { get; set; }
}

public sealed class DemoOptions
{
    /// <summary>Create demo users and chats when the database has no users.</summary>
    public bool Seed { get; set; }
}
