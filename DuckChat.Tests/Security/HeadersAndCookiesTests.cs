using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Security;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class HeadersAndCookiesTests(BrowserFixture browser, DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/health/live")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", SecurityHeaders.ContentSecurityPolicy);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task HttpsThroughATrustedProxy_CarriesHsts_PlainHttpDoesNot()
    {
        using var client = app.CreateHttpClient();
        using var https = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "chat.example.test" } };
        https.Headers.Add("X-Forwarded-Proto", "https");
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "chat.example.test" } };

        using var secured = await client.SendAsync(https, TestContext.Current.CancellationToken);
        using var unsecured = await client.SendAsync(plain, TestContext.Current.CancellationToken);

        Assert.Equal("max-age=31536000", Assert.Single(secured.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(unsecured.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AuthCookie_IsHttpOnlyAndSameSiteLax()
    {
        await app.CreateUserAsync("cookie-user");
        using var client = app.CreateHttpClient();

        using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = "cookie-user",
            ["Input.Password"] = DuckChatAppFactory.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var authCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("httponly", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", authCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UsingTheApp_BreaksNoContentSecurityPolicyRule()
    {
        var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("Username").FillAsync("csp-user");
        await page.GetByLabel("Email").FillAsync("csp@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByLabel("Confirm password").FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await page.WaitForInteractiveAsync();
        await app.CreateUserAsync("csp-friend");
        await page.OpenAsync("/dm/csp-friend");
        await page.SendAsync("hello under a strict policy");
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Group name")).ToBeVisibleAsync();
        await page.GotoAsync("/Identity/Account/Manage");
        await page.GotoAsync("/Identity/Account/Login");
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;
        // Client-side validation runs (its scripts load from this site): an empty log-in is stopped in the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Enter your username or email.")).ToBeVisibleAsync();

        Assert.Equal(0, posts);
        Assert.Empty(violations);
    }
}
