using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Admin;

/// <summary>
/// The server-side gate of every admin operation: the caller must hold the Admin role in the database now
/// (not just in the cookie the page was loaded with), and what they do is written to the audit log.
/// </summary>
public sealed class AdminGuard(CurrentUser currentUser, IDbContextFactory<ChatDbContext> factory)
{
    public async Task<(string Id, string Name)> RequireAdminAsync()
    {
        var me = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var isAdmin = await db.UserRoles.AnyAsync(ur => ur.UserId == me.Id
            && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AdminBootstrap.AdminRole));
        return isAdmin ? me : throw new UnauthorizedAccessException("Only admins can do that.");
    }

    /// <summary>
    /// Writes an audit entry through <paramref name="db"/>. An action that writes calls this inside its own transaction,
    /// before the commit, so the entry is kept exactly when the action is.
    /// </summary>
    public static async Task AuditAsync(
        ChatDbContext db, TimeProvider time, (string Id, string Name) actor, string action, string targetType, string targetId,
        string? targetName = null, string? reason = null, string? details = null)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TargetName = targetName,
            Reason = reason,
            Details = details,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Null when <paramref name="reason"/> will do. Destructive actions say why, and the reason goes into the audit
    /// log, whose column holds <see cref="AuditEntry.ReasonMaxLength"/> characters: a longer one is refused before
    /// anything is done.
    /// </summary>
    public static string? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "Give a reason: it is kept in the audit log."
        : reason.Length > AuditEntry.ReasonMaxLength ? $"A reason has at most {AuditEntry.ReasonMaxLength:N0} characters."
        : null;
}
