using System.Security.Claims;
using System.Security.Cryptography;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Starts and ends sign-ins (<see cref="SignIn"/>). Every way into DuckChat signs in here, so every cookie names a
/// sign-in that log-out can end; ending one also ends that browser's open tabs, on every instance.
/// </summary>
public sealed class SignIns(
    SignInManager<ApplicationUser> signInManager,
    IDbContextFactory<ChatDbContext> factory,
    IMessageBus bus,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    TimeProvider time)
{
    /// <summary>The claim that carries the sign-in's id in the cookie.</summary>
    public const string ClaimType = "duckchat:sign-in";

    public async Task SignInAsync(ApplicationUser user, bool persistent)
    {
        var id = await StartAsync(user.Id);
        await signInManager.SignInWithClaimsAsync(user, persistent, [new Claim(ClaimType, id)]);
    }

    /// <summary>Log-out: this sign-in's cookie stops working everywhere, and this browser's open tabs end.</summary>
    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && principal.FindFirstValue(ClaimType) is { } signInId)
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.SignIns.Where(s => s.Id == signInId).ExecuteDeleteAsync();
            bus.Publish(Topics.User(userId), new AccountSignedOut(userId, signInId));
        }

        await signInManager.SignOutAsync();
    }

    /// <summary>
    /// Log out everywhere (also after a password change or reset): every sign-in of the account ends and the security
    /// stamp changes, so no cookie or open tab of it works any more, on any instance. With <paramref name="keep"/>,
    /// the browser asking stays signed in, under a new cookie that carries the new stamp and the same sign-in.
    /// </summary>
    public async Task EndAllAsync(ApplicationUser user, ClaimsPrincipal? keep = null)
    {
        var kept = keep?.FindFirstValue(ClaimType);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.SignIns.Where(s => s.UserId == user.Id && s.Id != kept).ExecuteDeleteAsync();
        }

        await signInManager.UserManager.UpdateSecurityStampAsync(user);
        bus.Publish(Topics.User(user.Id), new AccountSignedOut(user.Id));
        if (kept is not null)
        {
            var current = await signInManager.Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            await signInManager.SignInWithClaimsAsync(user, current.Properties, [new Claim(ClaimType, kept)]);
        }
    }

    private async Task<string> StartAsync(string userId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        await using var db = await factory.CreateDbContextAsync();
        // A sign-in unused for longer than its cookie can live is dead: sweep the person's old ones as they sign in.
        var dead = now - cookies.Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan - AccountState.UseRecordedEvery;
        await db.SignIns.Where(s => s.UserId == userId && s.LastUsedAt < dead).ExecuteDeleteAsync();
        db.SignIns.Add(new SignIn { Id = id, UserId = userId, CreatedAt = now, LastUsedAt = now });
        await db.SaveChangesAsync();
        return id;
    }
}
