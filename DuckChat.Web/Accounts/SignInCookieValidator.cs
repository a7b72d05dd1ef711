using DuckChat.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Checks the auth cookie on every request: its sign-in must not have been ended (log-out), then Identity's own
/// security stamp check runs and refreshes the principal. Both run in a service scope that ends with the check: the
/// cookie handler resolves this from the request's services, and for /_blazor that request is the circuit's
/// WebSocket, whose scope lasts as long as the tab, so what the check loads would stay for the circuit's life.
/// </summary>
public sealed class SignInCookieValidator(IServiceScopeFactory scopes, IOptions<IdentityOptions> identityOptions, TimeProvider time) : ISecurityStampValidator
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await using var scope = scopes.CreateAsyncScope();
        var who = context.Principal is { } principal ? SignedInUser.From(principal, identityOptions.Value) : null;
        if (who?.SignInId is null || !await IsLiveAsync(scope.ServiceProvider, who))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        // SignInManager finds the request through IHttpContextAccessor, not its scope: renewing or rejecting the cookie works as before.
        await ActivatorUtilities.CreateInstance<SecurityStampValidator<ApplicationUser>>(scope.ServiceProvider).ValidateAsync(context);
    }

    /// <summary>Whether the sign-in still exists; records its use now and then, so unused ones can be swept.</summary>
    private async Task<bool> IsLiveAsync(IServiceProvider services, SignedInUser who)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        var now = time.GetUtcNow().UtcDateTime;
        var lastUsed = await db.SignIns.Where(s => s.Id == who.SignInId && s.UserId == who.Id).Select(s => (DateTime?)s.LastUsedAt).FirstOrDefaultAsync();
        if (lastUsed < now - AccountState.UseRecordedEvery)
        {
            await db.SignIns.Where(s => s.Id == who.SignInId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedAt, now));
        }

        return lastUsed is not null;
    }
}
