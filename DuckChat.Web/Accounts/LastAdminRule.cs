using DuckChat.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>
/// The last admin can be neither demoted nor deleted, by any way in (the admin area, the account's own Delete page),
/// or nobody could run DuckChat from the browser any more. Asked inside the transaction that makes the change, on the
/// scope's <see cref="ChatDbContext"/> (the one <see cref="UserManager{TUser}"/> saves through).
/// </summary>
public sealed class LastAdminRule(UserManager<ApplicationUser> users, ChatDbContext db)
{
    /// <summary>Null when the account may be deleted; otherwise the reason to show.</summary>
    public async Task<string?> WhyNotDeletableAsync(ApplicationUser user) =>
        await IsLastAdminAsync(user) ? "This is the last admin account. Make another person an admin before deleting it." : null;

    /// <summary>Null when the account may lose the Admin role; otherwise the reason to show.</summary>
    public async Task<string?> WhyNotDemotableAsync(ApplicationUser user) =>
        await IsLastAdminAsync(user) ? "This is the last admin account; make another person an admin first." : null;

    private async Task<bool> IsLastAdminAsync(ApplicationUser user)
    {
        // Counting only reads, so two admins removed at once would both count two and both go. Writing the Admin
        // role's row first takes its write lock until the caller's transaction ends (on every provider): the second
        // removal waits for the first to commit, then counts without it.
        var role = users.NormalizeName(AdminBootstrap.AdminRole);
        await db.Roles.Where(r => r.NormalizedName == role)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, Guid.NewGuid().ToString()));
        return await users.IsInRoleAsync(user, AdminBootstrap.AdminRole)
            && (await users.GetUsersInRoleAsync(AdminBootstrap.AdminRole)).Count <= 1;
    }
}
