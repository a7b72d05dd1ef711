using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Who may be deleted. One rule for every way in (an account's own Delete page now, the admin area later):
/// the last admin cannot go, or nobody could run DuckChat from the browser any more.
/// </summary>
public sealed class AccountDeletionRules(UserManager<ApplicationUser> users)
{
    /// <summary>Null when the account may be deleted; otherwise the reason to show.</summary>
    public async Task<string?> WhyNotDeletableAsync(ApplicationUser user)
    {
        if (!await users.IsInRoleAsync(user, AdminBootstrap.AdminRole))
        {
            return null;
        }

        var admins = await users.GetUsersInRoleAsync(AdminBootstrap.AdminRole);
        return admins.Count <= 1
            ? "This is the last admin account. Make another person an admin before deleting it."
            : null;
    }
}
