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
/// account again: deleted, locked, logged out or signed out everywhere (a changed security stamp) means no more
/// operations, at once, even before the circuit's periodic revalidation notices.
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
        if (!claimed.MayAct(await AccountState.LoadAsync(db, claimed), time.GetUtcNow()))
        {
            throw new SignedOutException();
        }

        return (claimed.Id, claimed.UserName);
    }

    /// <summary>
    /// Who the cookie says is signed in, not yet checked against the account: for writes that check the account in
    /// their own statement (<see cref="Chats.Writing.ChatWriter"/>'s sends and read positions), or later with
    /// <see cref="SignedInUser.MayAct"/>.
    /// </summary>
    public async Task<SignedInUser> GetClaimedAsync() =>
        SignedInUser.From((await authentication.GetAuthenticationStateAsync()).User, identityOptions.Value) ?? throw new SignedOutException();
}

/// <summary>A signed-in person as their cookie names them.</summary>
public sealed record SignedInUser(string Id, string UserName, string? SecurityStamp, string? SignInId)
{
    public static SignedInUser? From(ClaimsPrincipal principal, IdentityOptions options) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && principal.Identity?.Name is { } name
            ? new SignedInUser(id, name, principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType), principal.FindFirstValue(SignIns.ClaimType))
            : null;

    /// <summary>Whether the account still lets this cookie act: it exists, is not locked, has the same security stamp, and this sign-in was not ended.</summary>
    public bool MayAct(AccountState? account, DateTimeOffset now) =>
        account is not null && account.SecurityStamp == SecurityStamp && !(account.LockoutEnd > now) && account.SignInLastUsedAt is not null;
}

/// <summary>What decides whether a sign-in may still act, read in one query.</summary>
public sealed record AccountState(string? SecurityStamp, DateTimeOffset? LockoutEnd, DateTime? SignInLastUsedAt)
{
    /// <summary>How often a sign-in's <see cref="SignIn.LastUsedAt"/> is written while it is in use.</summary>
    public static readonly TimeSpan UseRecordedEvery = TimeSpan.FromDays(1);

    /// <summary>The account and sign-in <paramref name="who"/> names; null when the account is gone.</summary>
    public static Task<AccountState?> LoadAsync(ChatDbContext db, SignedInUser who) =>
        db.Users.Where(u => u.Id == who.Id)
            .Select(u => new AccountState(u.SecurityStamp, u.LockoutEnd,
                db.SignIns.Where(s => s.Id == who.SignInId && s.UserId == u.Id).Select(s => (DateTime?)s.LastUsedAt).FirstOrDefault()))
            .FirstOrDefaultAsync();

    /// <summary>
    /// As <see cref="LoadAsync"/>, but only while <paramref name="who"/> is a member of <paramref name="chatId"/>
    /// (null otherwise): membership and the account in one compiled query, for checks made often (typing signals).
    /// </summary>
    public static Task<AccountState?> LoadForMemberAsync(ChatDbContext db, SignedInUser who, int chatId) =>
        ForMember(db, who.Id, who.SignInId, chatId);

    private static readonly Func<ChatDbContext, string, string?, int, Task<AccountState?>> ForMember = EF.CompileAsyncQuery(
        (ChatDbContext db, string userId, string? signInId, int chatId) => db.Users
            .Where(u => u.Id == userId && db.ChatMembers.Any(m => m.ChatId == chatId && m.UserId == u.Id))
            .Select(u => new AccountState(u.SecurityStamp, u.LockoutEnd,
                db.SignIns.Where(s => s.Id == signInId && s.UserId == u.Id).Select(s => (DateTime?)s.LastUsedAt).FirstOrDefault()))
            .FirstOrDefault());
}

/// <summary>The circuit's user no longer may act: the account was deleted, locked, or signed out.</summary>
public sealed class SignedOutException() : UnauthorizedAccessException("You have been signed out. Log in again to continue.");
