using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace DuckChat.Web.Accounts;

/// <summary>
/// The signed-in user of this circuit, as the server knows it from the authentication cookie. Every service
/// takes the user from here, never from anything a page or the browser passes in.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<(string Id, string UserName)> GetAsync()
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity?.Name;
        return id is null || name is null
            ? throw new UnauthorizedAccessException("Not signed in.")
            : (id, name);
    }
}
