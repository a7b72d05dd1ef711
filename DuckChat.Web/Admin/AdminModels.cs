namespace DuckChat.Web.Admin;

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total);

public sealed record UserRow(
    string Id, string UserName, string? Email, DateTime CreatedAt, DateTime? LastSeenAt, DateTimeOffset? LockoutEnd, IReadOnlyList<string> Roles)
{
    public bool IsLocked(DateTimeOffset now) => LockoutEnd > now;

    public bool IsAdmin => Roles.Contains(Accounts.AdminBootstrap.AdminRole);
}

public enum UserSort { UserName, Email, CreatedAt, LastSeenAt }

public sealed record ChatRow(int Id, Data.ChatKind Kind, string Title, int MemberCount, int MessageCount, DateTime LastActivity);

public sealed record MessageRow(long Id, int ChatId, string ChatTitle, long Seq, string SenderName, string Body, DateTime SentAt, string? State);

/// <summary>What became of an admin action; <see cref="Link"/> carries a password reset link.</summary>
public sealed record AdminResult(bool Succeeded, string? Error = null, string? Link = null)
{
    public static readonly AdminResult Done = new(true);

    public static AdminResult Refused(string error) => new(false, error);
}
