using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Admin;

/// <summary>
/// The server-side gate of every admin operation: the caller must hold the Admin role in the database now
/// (not just in the cookie the page was loaded with), and what they do is written to the audit log.
/// </summary>
public sealed class AdminGuard(CurrentUser currentUser, IDbContextFactory<ChatDbContext> factory, TimeProvider time)
{
    public async Task<(string Id, string Name)> RequireAdminAsync()
    {
        var me = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var isAdmin = await db.UserRoles.AnyAsync(ur => ur.UserId == me.Id
            && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AdminBootstrap.AdminRole));
        return isAdmin ? me : throw new UnauthorizedAccessException("Only admins can do that.");
    }

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

    public async Task AuditAsync((string Id, string Name) actor, string action, string targetType, string targetId,
        string? targetName = null, string? reason = null, string? details = null)
    {
        await using var db = await factory.CreateDbContextAsync();
        await AuditAsync(db, time, actor, action, targetType, targetId, targetName, reason, details);
    }

    /// <summary>Destructive actions say why; the reason goes into the audit log.</summary>
    public static string? MissingReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "Give a reason: it is kept in the audit log." : null;
}
