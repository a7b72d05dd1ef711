using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Re-checks an open circuit's user on DuckChat:Accounts:RevalidationInterval: a deleted or locked account, an ended
/// sign-in or a changed security stamp (password change, log out everywhere, admin action) signs the circuit out
/// without a reload.
/// </summary>
public sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IDbContextFactory<ChatDbContext> factory,
    IOptions<AccountOptions> accountOptions,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => accountOptions.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (SignedInUser.From(authenticationState.User, identityOptions.Value) is not { } who)
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return who.MayAct(await AccountState.LoadAsync(db, who), time.GetUtcNow());
    }
}
