using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Security;

/// <summary>The log-in page must not tell whether an account exists: same answer, and the same password-hash cost.</summary>
public sealed class AccountEnumerationTests(HashCountingAppFactory app) : IClassFixture<HashCountingAppFactory>
{
    [Fact]
    public async Task LogIn_AnswersTheSameForAnExistingAndAnUnknownAccount()
    {
        await app.CreateUserAsync("enum-real");

        var existing = await FailedLogInAsync("enum-real");
        var unknown = await FailedLogInAsync("enum-ghost");

        Assert.Equal(existing.Status, unknown.Status);
        Assert.Equal(HttpStatusCode.OK, existing.Status);
        Assert.Equal(existing.Body.Replace("enum-real", "NAME"), unknown.Body.Replace("enum-ghost", "NAME"));
        Assert.Contains("Invalid log-in attempt.", unknown.Body);
    }

    [Fact]
    public async Task LogIn_WithAnUnknownAccount_StillCostsAPasswordHash()
    {
        var before = app.Hasher.Verifications;

        await FailedLogInAsync("enum-nobody-at-all");

        Assert.Equal(before + 1, app.Hasher.Verifications);
    }

    private async Task<(HttpStatusCode Status, string Body)> FailedLogInAsync(string name)
    {
        using var client = app.CreateHttpClient();
        using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = name,
            ["Input.Password"] = "Not-the-password1",
        });
        return (response.StatusCode, HtmlForms.WithoutAntiforgeryTokens(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}

/// <summary>The app with its password hasher counting verifications (the real hasher does the work).</summary>
public sealed class HashCountingAppFactory : DuckChatAppFactory
{
    public CountingHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<ApplicationUser>>(Hasher));
    }

    public sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _real = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(ApplicationUser user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
