using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Finds accounts by what a person types: a username (unique), or an email. Emails are unverified contact addresses
/// and not unique, so that registering never tells whether an address already has an account; one address can
/// therefore name several accounts.
/// </summary>
public sealed class AccountLookup(UserManager<ApplicationUser> users)
{
    /// <summary>At most this many accounts are taken for one email.</summary>
    public const int MaxPerEmail = 10;

    public async Task<IReadOnlyList<ApplicationUser>> FindAsync(string userNameOrEmail)
    {
        var name = userNameOrEmail.Trim();
        // Usernames cannot contain '@', so the two never collide.
        if (!name.Contains('@'))
        {
            return await users.FindByNameAsync(name) is { } user ? [user] : [];
        }

        var email = users.NormalizeEmail(name);
        return await users.Users.Where(u => u.NormalizedEmail == email).OrderBy(u => u.CreatedAt).Take(MaxPerEmail).ToListAsync();
    }
}
