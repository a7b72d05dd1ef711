using System.Security.Claims;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// The signed-in user of this circuit, as the server knows it from the authentication cookie. Every service
/// takes the user from here, never from anything a page or the browser passes in, and every call checks the
/// account again: deleted, locked, or signed out elsewhere (a changed security stamp) means no more operations,
/// at once, even before the circuit's periodic revalidation notices.
/// </summary>
public sealed class CurrentUser(
    AuthenticationStateProvider authentication,
    IDbContextFactory<ChatDbContext> factory,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider time)
{
    public async Task<(string Id, string UserName)> GetAsync()
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity?.Name;
        if (id is null || name is null)
        {
            throw new SignedOutException();
        }

        await using var db = await factory.CreateDbContextAsync();
        var account = await db.Users.Where(u => u.Id == id).Select(u => new { u.SecurityStamp, u.LockoutEnd }).FirstOrDefaultAsync();
        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        if (account is null || account.SecurityStamp != stamp || account.LockoutEnd > time.GetUtcNow())
        {
            throw new SignedOutException();
        }

        return (id, name);
    }
}

/// <summary>The circuit's user no longer may act: the account was deleted, locked, or signed out.</summary>
public sealed class SignedOutException() : UnauthorizedAccessException("You have been signed out. Log in again to continue.");
