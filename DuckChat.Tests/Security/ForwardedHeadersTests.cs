using System.Net;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Security;

/// <summary>Behind a TLS-terminating proxy the app must see HTTPS: the auth cookie is then Secure.</summary>
public sealed class ForwardedHeadersTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task AuthCookie_IsSecureExactlyWhenTheRequestIsHttps_AsATrustedProxyReports(string? forwardedProto, bool secure)
    {
        var userName = $"fwd-{forwardedProto ?? "plain"}";
        await app.CreateUserAsync(userName);
        using var client = app.CreateHttpClient();
        if (forwardedProto is not null)
        {
            // Requests come from loopback, which is a trusted proxy: its X-Forwarded-Proto counts.
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = userName,
            ["Input.Password"] = DuckChatAppFactory.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var authCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Equal(secure, authCookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
