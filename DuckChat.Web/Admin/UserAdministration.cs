using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Admin;

/// <summary>
/// Managing accounts. An admin cannot lock, demote or delete themself, and the last admin cannot be demoted or
/// deleted. Locking or deleting rotates the security stamp and signs the person's open tabs out at once. Each action
/// runs in a scope of its own, and the action and its audit entry are one transaction: either both are kept, or
/// neither and the admin is told why.
/// </summary>
public sealed class UserAdministration(
    AdminGuard guard,
    IServiceScopeFactory scopes,
    IDbContextFactory<ChatDbContext> factory,
    IMessageBus bus,
    Diagnostics.DuckChatMetrics metrics,
    TimeProvider time)
{
    public async Task<PageOf<UserRow>> QueryAsync(string? search, UserSort sort, bool descending, int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.Users.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = UserNameNormalizer.Normalize(search.Trim());
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
    public Task<AdminResult> LockAsync(string userId, DateTimeOffset? until, string reason) => OnOtherAsync(userId, "Lock user", reason, async (users, scope, user) =>
    {
        if (await FirstFailureAsync(
                () => users.SetLockoutEnabledAsync(user, true),
                () => users.SetLockoutEndDateAsync(user, until ?? DateTimeOffset.MaxValue),
                () => users.UpdateSecurityStampAsync(user)) is { } failure)
        {
            return failure;
        }

        // A locked account gets no more pushes; unlocked, its person turns them on again.
        await Push.PushDevices.RemoveAllAsync(scope.GetRequiredService<ChatDbContext>(), userId);
        return Done(() => bus.Publish(Topics.User(userId), new AccountSignedOut(userId)));
    },
        until is null ? "indefinitely" : $"until {until:u}");

    public Task<AdminResult> UnlockAsync(string userId) => OnOtherAsync(userId, "Unlock user", null, async (users, _, user) =>
        await FirstFailureAsync(
            () => users.SetLockoutEndDateAsync(user, null),
            () => users.ResetAccessFailedCountAsync(user))
        ?? Done());

    public Task<AdminResult> MakeAdminAsync(string userId) => OnOtherAsync(userId, "Make admin", null, async (users, _, user) =>
        await users.IsInRoleAsync(user, AdminBootstrap.AdminRole)
            ? Refused("That person is already an admin.")
            : await FirstFailureAsync(() => users.AddToRoleAsync(user, AdminBootstrap.AdminRole)) ?? Done());

    public Task<AdminResult> RemoveAdminAsync(string userId, string reason) => OnOtherAsync(userId, "Remove admin", reason, async (users, scope, user) =>
    {
        if (await scope.GetRequiredService<LastAdminRule>().WhyNotDemotableAsync(user) is { } why)
        {
            return Refused(why);
        }

        return !await users.IsInRoleAsync(user, AdminBootstrap.AdminRole)
            ? Refused("That person is not an admin.")
            : await FirstFailureAsync(() => users.RemoveFromRoleAsync(user, AdminBootstrap.AdminRole)) ?? Done();
    });

    /// <summary>A one-time, expiring link the admin passes on to the person (no mail server needed).</summary>
    public async Task<AdminResult> CreateResetLinkAsync(string userId, string baseUrl)
    {
        string? link = null;
        var result = await OnOtherAsync(userId, "Create password reset link", null, async (_, scope, user) =>
        {
            link = await scope.GetRequiredService<PasswordResetLinks>().CreateLinkAsync(user, baseUrl);
            return Done();
        }, allowSelf: true);
        return result.Succeeded ? result with { Link = link } : result;
    }

    public Task<AdminResult> DeleteAsync(string userId, string reason) => OnOtherAsync(userId, "Delete user", reason, async (_, scope, user) =>
    {
        var (refusal, deleted) = await scope.GetRequiredService<AccountDeletion>().DeleteAsync(user);
        return refusal is not null ? Refused(refusal) : Done(() => deleted!.Announce(bus, metrics));
    });

    /// <summary>What an action came to: a refusal (nothing it wrote is kept), or what to announce once it is committed.</summary>
    private sealed record Outcome(string? Refusal, Action Announce);

    private static Outcome Done(Action? announce = null) => new(null, announce ?? (() => { }));

    private static Outcome Refused(string refusal) => new(refusal, () => { });

    private delegate Task<Outcome> UserAction(UserManager<ApplicationUser> users, IServiceProvider scope, ApplicationUser user);

    /// <summary>
    /// Runs an action on another person's account (never on one's own), auditing it when it succeeds.
    /// <paramref name="reason"/> is null for actions that ask none; the others are refused without a good one before
    /// anything is done.
    /// </summary>
    private async Task<AdminResult> OnOtherAsync(string userId, string action, string? reason, UserAction run, string? details = null, bool allowSelf = false)
    {
        var me = await guard.RequireAdminAsync();
        if (userId == me.Id && !allowSelf)
        {
            return AdminResult.Refused("You cannot do that to your own account.");
        }

        if (reason is not null && AdminGuard.CheckReason(reason) is { } badReason)
        {
            return AdminResult.Refused(badReason);
        }

        // A scope per action: Identity's UserManager keeps what it loads tracked in the scope's context, and this
        // service lives as long as the admin's tab. The action's writes and its audit entry share that context's
        // transaction. Each attempt of it (the execution strategy may retry) starts with an empty tracker, so the
        // account is found afresh inside it.
        await using var operation = scopes.CreateAsyncScope();
        var users = operation.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = operation.ServiceProvider.GetRequiredService<ChatDbContext>();
        var outcome = await db.InTransactionAsync(async transaction =>
        {
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return Refused("That account no longer exists.");
            }

            var target = user.UserName;
            var done = await run(users, operation.ServiceProvider, user);
            if (done.Refusal is null)
            {
                await AdminGuard.AuditAsync(db, time, me, action, "User", userId, target, reason, details);
                await transaction.CommitAsync();
            }

            return done;
        });

        if (outcome.Refusal is { } refusal)
        {
            return AdminResult.Refused(refusal);
        }

        outcome.Announce();
        return AdminResult.Done;
    }

    /// <summary>Runs Identity's steps in order; the first failure's errors, or null when every step succeeded.</summary>
    private static async Task<Outcome?> FirstFailureAsync(params Func<Task<IdentityResult>>[] steps)
    {
        foreach (var step in steps)
        {
            var result = await step();
            if (!result.Succeeded)
            {
                return Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }

        return null;
    }
}
