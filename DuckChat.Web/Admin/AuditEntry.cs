namespace DuckChat.Web.Admin;

/// <summary>
/// One admin action: who did what to which target, when, and why. Append-only: the context refuses to change
/// or delete an entry, and nothing in the app offers to.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>The reason column's size; the reason box and every admin action hold reasons to it.</summary>
    public const int ReasonMaxLength = 1000;

    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>The admin's id; kept as text (no foreign key) so the entry outlives the admin's account.</summary>
    public string ActorId { get; set; } = "";
    public string ActorName { get; set; } = "";

    /// <summary>What was done, e.g. "Lock user", "Remove message", "Read messages".</summary>
    public string Action { get; set; } = "";
    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";
    public string? TargetName { get; set; }
    public string? Reason { get; set; }
    public string? Details { get; set; }
}
