using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Admin;

/// <summary>
/// Managing accounts. An admin cannot lock, demote or delete themself, and the last admin cannot be demoted or
/// deleted. Locking or deleting rotates the security stamp and signs the person's open tabs out at once.
/// </summary>
public sealed class UserAdministration(
    AdminGuard guard,
    UserManager<ApplicationUser> users,
    AccountDeletionRules deletionRules,
    PasswordResetLinks resetLinks,
    IDbContextFactory<ChatDbContext> factory,
    IMessageBus bus)
{
    public async Task<PageOf<UserRow>> QueryAsync(string? search, UserSort sort, bool descending, int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.Users.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(term) || u.NormalizedEmail!.Contains(term));
        }

        query = (sort, descending) switch
        {
            (UserSort.Email, false) => query.OrderBy(u => u.NormalizedEmail),
            (UserSort.Email, true) => query.OrderByDescending(u => u.NormalizedEmail),
            (UserSort.CreatedAt, false) => query.OrderBy(u => u.CreatedAt),
            (UserSort.CreatedAt, true) => query.OrderByDescending(u => u.CreatedAt),
            (UserSort.LastSeenAt, false) => query.OrderBy(u => u.LastSeenAt),
            (UserSort.LastSeenAt, true) => query.OrderByDescending(u => u.LastSeenAt),
            (_, true) => query.OrderByDescending(u => u.NormalizedUserName),
            _ => query.OrderBy(u => u.NormalizedUserName),
        };
        var total = await query.CountAsync();
        var rows = await query.Skip(page * pageSize).Take(pageSize)
            .Select(u => new
            {
                u.Id, u.UserName, u.Email, u.CreatedAt, u.LastSeenAt, u.LockoutEnd,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .ToListAsync();
        return new(rows.Select(u => new UserRow(u.Id, u.UserName!, u.Email, u.CreatedAt, u.LastSeenAt, u.LockoutEnd, u.Roles)).ToList(), total);
    }

    /// <summary>
    /// Accounts whose names look alike (one look-alike key), in groups. New names can no longer collide; these were
    /// registered before the check, and are listed so an admin can decide whether one is posing as another.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> LookAlikesAsync()
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var keys = db.Users.Where(u => u.UserNameSkeleton != null).GroupBy(u => u.UserNameSkeleton).Where(g => g.Count() > 1).Select(g => g.Key);
        var names = await db.Users.Where(u => keys.Contains(u.UserNameSkeleton))
            .OrderBy(u => u.UserNameSkeleton).ThenBy(u => u.CreatedAt)
            .Select(u => new { u.UserNameSkeleton, u.UserName }).Take(500).ToListAsync();
        return names.GroupBy(u => u.UserNameSkeleton).Select(g => (IReadOnlyList<string>)g.Select(u => u.UserName!).ToList()).ToList();
    }

    /// <summary>Locks the account until <paramref name="until"/> (null: until unlocked).</summary>
    public Task<AdminResult> LockAsync(string userId, DateTimeOffset? until, string reason) => OnOtherAsync(userId, "Lock user", reason, async (me, user) =>
    {
        if (GuardReason(reason) is { } missing)
        {
            return missing;
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, until ?? DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        bus.Publish(Topics.User(user.Id), new AccountSignedOut(user.Id));
        return null;
    }, until is null ? "indefinitely" : $"until {until:u}");

    public Task<AdminResult> UnlockAsync(string userId) => OnOtherAsync(userId, "Unlock user", null, async (_, user) =>
    {
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return null;
    });

    public Task<AdminResult> MakeAdminAsync(string userId) => OnOtherAsync(userId, "Make admin", null, async (_, user) =>
        await users.IsInRoleAsync(user, AdminBootstrap.AdminRole) ? "That person is already an admin." : Check(await users.AddToRoleAsync(user, AdminBootstrap.AdminRole)));

    public Task<AdminResult> RemoveAdminAsync(string userId, string reason) => OnOtherAsync(userId, "Remove admin", reason, async (_, user) =>
    {
        if (GuardReason(reason) is { } missing)
        {
            return missing;
        }

        if (!await users.IsInRoleAsync(user, AdminBootstrap.AdminRole))
        {
            return "That person is not an admin.";
        }

        return (await users.GetUsersInRoleAsync(AdminBootstrap.AdminRole)).Count <= 1
            ? "This is the last admin account; make another person an admin first."
            : Check(await users.RemoveFromRoleAsync(user, AdminBootstrap.AdminRole));
    });

    /// <summary>A one-time, expiring link the admin passes on to the person (no mail server needed).</summary>
    public async Task<AdminResult> CreateResetLinkAsync(string userId, string baseUrl)
    {
        string? link = null;
        var result = await OnOtherAsync(userId, "Create password reset link", null, async (_, user) =>
        {
            link = await resetLinks.CreateLinkAsync(user, baseUrl);
            return null;
        }, allowSelf: true);
        return result.Succeeded ? result with { Link = link } : result;
    }

    public Task<AdminResult> DeleteAsync(string userId, string reason) => OnOtherAsync(userId, "Delete user", reason, async (_, user) =>
    {
        if (GuardReason(reason) is { } missing)
        {
            return missing;
        }

        if (await deletionRules.WhyNotDeletableAsync(user) is { } why)
        {
            return why;
        }

        await using var db = await factory.CreateDbContextAsync();
        var chats = await db.ChatMembers.Where(m => m.UserId == user.Id).Select(m => m.ChatId).ToListAsync();
        var result = Check(await users.DeleteAsync(user));
        if (result is null)
        {
            bus.Publish(Topics.User(user.Id), new AccountSignedOut(user.Id));
            foreach (var chatId in chats)
            {
                bus.Publish(Topics.Chat(chatId), new ChatChanged(chatId));
            }
        }

        return result;
    });

    private delegate Task<string?> UserAction((string Id, string Name) me, ApplicationUser user);

    /// <summary>Runs an action on another person's account (never on one's own), auditing it when it succeeds.</summary>
    private async Task<AdminResult> OnOtherAsync(string userId, string action, string? reason, UserAction run, string? details = null, bool allowSelf = false)
    {
        var me = await guard.RequireAdminAsync();
        if (userId == me.Id && !allowSelf)
        {
            return AdminResult.Refused("You cannot do that to your own account.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Refused("That account no longer exists.");
        }

        var target = user.UserName;
        if (await run(me, user) is { } refusal)
        {
            return AdminResult.Refused(refusal);
        }

        await guard.AuditAsync(me, action, "User", userId, target, reason, details);
        return AdminResult.Done;
    }

    private static string? GuardReason(string? reason) => AdminGuard.MissingReason(reason);

    private static string? Check(IdentityResult result) =>
        result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));
}
