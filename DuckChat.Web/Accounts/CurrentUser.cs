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
        var claimed = await GetClaimedAsync();
        await using var db = await factory.CreateDbContextAsync();
        var account = await db.Users.Where(u => u.Id == claimed.Id).Select(u => new { u.SecurityStamp, u.LockoutEnd }).FirstOrDefaultAsync();
        if (account is null || !claimed.MayAct(account.SecurityStamp, account.LockoutEnd, time.GetUtcNow()))
        {
            throw new SignedOutException();
        }

        return (claimed.Id, claimed.UserName);
    }

    /// <summary>
    /// Who the cookie says is signed in, not yet checked against the account: for work that checks many people's
    /// accounts in one query (<see cref="SignedInUser.MayAct"/>), as <see cref="Chats.ReadPositionQueue"/> does.
    /// </summary>
    public async Task<SignedInUser> GetClaimedAsync()
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity?.Name;
        if (id is null || name is null)
        {
            throw new SignedOutException();
        }

        return new SignedInUser(id, name, principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType));
    }
}

/// <summary>A signed-in person as their cookie names them.</summary>
public sealed record SignedInUser(string Id, string UserName, string? SecurityStamp)
{
    /// <summary>Whether the account still lets this cookie act: not signed out elsewhere (same security stamp) and not locked.</summary>
    public bool MayAct(string? accountSecurityStamp, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        accountSecurityStamp == SecurityStamp && !(lockoutEnd > now);
}

/// <summary>The circuit's user no longer may act: the account was deleted, locked, or signed out.</summary>
public sealed class SignedOutException() : UnauthorizedAccessException("You have been signed out. Log in again to continue.");
