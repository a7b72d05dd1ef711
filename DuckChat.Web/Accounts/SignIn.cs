namespace DuckChat.Web.Accounts;

/// <summary>
/// One sign-in of one browser. Its id travels in the auth cookie and is checked on every request and every circuit
/// operation, the way the security stamp is: logging out deletes the row, so a copy of that cookie is useless
/// everywhere at once, while the person's other sign-ins carry on.
/// </summary>
public sealed class SignIn
{
    public const int IdLength = 22;

    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    /// <summary>Refreshed at most once a day while the cookie is used; rows unused longer than a cookie lives are removed.</summary>
    public DateTime LastUsedAt { get; set; }

    public ApplicationUser? User { get; set; }
}
