using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Accounts;

/// <summary>The cookie's security stamp check that runs on every request, /_blazor's included.</summary>
public sealed class SecurityStampTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task OldCookie_AfterTheStampChanges_IsSentToLogIn()
    {
        var user = await app.CreateUserAsync("stamp-old-cookie");
        using var client = await app.SignedInClientAsync(user.UserName!);
        using var before = await client.GetAsync("/", TestContext.Current.CancellationToken);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(user.Id))!);
        }

        using var after = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/Identity/Account/Login", after.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task StampCheck_LoadsTheUserInAScopeOfItsOwn_NotInTheRequests()
    {
        // The WebSocket request of a circuit lasts as long as the tab: what its scope holds, the circuit holds.
        var user = await app.CreateUserAsync("stamp-own-scope");
        await using var request = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = request.ServiceProvider };
        app.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = http;
        var context = await CookieContextAsync(http, user);

        // What Identity's cookie handler calls for every request.
        await SecurityStampValidator.ValidatePrincipalAsync(context);

        Assert.Equal(user.Id, context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value);
        Assert.Equal("stamp-own-scope-sign", context.Principal?.FindFirst(SignIns.ClaimType)?.Value);
        Assert.True(context.ShouldRenew);
        Assert.Empty(request.ServiceProvider.GetRequiredService<ChatDbContext>().ChangeTracker.Entries());
    }

    private async Task<CookieValidatePrincipalContext> CookieContextAsync(HttpContext http, ApplicationUser user)
    {
        var scheme = IdentityConstants.ApplicationScheme;
        await using var scope = app.Services.CreateAsyncScope();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        await using (var db = await app.CreateDbContextAsync())
        {
            db.SignIns.Add(new SignIn { Id = "stamp-own-scope-sign", UserId = user.Id, CreatedAt = DateTime.UtcNow, LastUsedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(SignIns.ClaimType, "stamp-own-scope-sign"));
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow.AddMinutes(-1) }, scheme);
        return new CookieValidatePrincipalContext(http, new AuthenticationScheme(scheme, null, typeof(CookieAuthenticationHandler)),
            app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme), ticket);
    }
}
