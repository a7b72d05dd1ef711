using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Identity's security stamp check, unchanged, in a service scope that ends with the check. The cookie handler runs it
/// on every request and resolves it from the request's services; for /_blazor that request is the circuit's
/// WebSocket, whose scope lasts as long as the tab, so the check's SignInManager, UserManager, stores and
/// ChatDbContext (with the user it loaded) would stay in memory for the circuit's life.
/// </summary>
public sealed class OwnScopeSecurityStampValidator(IServiceScopeFactory scopes) : ISecurityStampValidator
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await using var scope = scopes.CreateAsyncScope();
        // SignInManager finds the request through IHttpContextAccessor, not its scope: renewing or rejecting the cookie works as before.
        await ActivatorUtilities.CreateInstance<SecurityStampValidator<ApplicationUser>>(scope.ServiceProvider).ValidateAsync(context);
    }
}
