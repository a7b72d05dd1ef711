using System.Net;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using DuckChat.Web.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

/// <summary>Failed log-ins slow guessing down, but never lock an account, end its tabs or tell which names exist.</summary>
public sealed class LogInGuardTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogInGuard _guard;

    public LogInGuardTests() => _guard = new LogInGuard(Options.Create(new AccountOptions
    {
        LockoutMaxFailedAttempts = 3,
        LockoutDuration = TimeSpan.FromMinutes(5),
        LogInSlowdownAfterFailures = 5,
        LogInSlowdownDelay = TimeSpan.FromSeconds(2),
    }), _time);

    [Fact]
    public void FailuresFromOneAddress_StopOnlyThatAddressCheckingThatName()
    {
        Fail("ALICE", "203.0.113.1", times: 3);

        Assert.False(_guard.Admit("ALICE", "203.0.113.1").CheckPassword);
        Assert.True(_guard.Admit("ALICE", "127.0.0.1").CheckPassword);
        Assert.True(_guard.Admit("BOB", "203.0.113.1").CheckPassword);
    }

    [Fact]
    public void FailuresFromManyAddresses_DelayEveryAttemptForTheName_WithoutRefusingAny()
    {
        Fail("ALICE", "203.0.113.1", times: 3);
        Fail("ALICE", "203.0.113.2", times: 2);

        var owner = _guard.Admit("ALICE", "127.0.0.1");

        Assert.Equal(new LogInAdmission(CheckPassword: true, TimeSpan.FromSeconds(2)), owner);
        Assert.Equal(new LogInAdmission(CheckPassword: true, TimeSpan.Zero), _guard.Admit("BOB", "127.0.0.1"));
    }

    [Fact]
    public void Counts_EndWithTheirWindow()
    {
        Fail("ALICE", "203.0.113.1", times: 5);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new LogInAdmission(CheckPassword: true, TimeSpan.Zero), _guard.Admit("ALICE", "203.0.113.1"));
    }

    [Fact]
    public void RightPassword_ClearsItsAddressCount_ButNotTheNamesTotal()
    {
        Fail("ALICE", "127.0.0.1", times: 2);
        Fail("ALICE", "203.0.113.1", times: 3);

        _guard.Succeeded("ALICE", "127.0.0.1");
        _guard.Failed("ALICE", "127.0.0.1");

        Assert.True(_guard.Admit("ALICE", "127.0.0.1").CheckPassword);
        Assert.Equal(TimeSpan.FromSeconds(2), _guard.Admit("ALICE", "127.0.0.1").Delay);
    }

    private void Fail(string account, string address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _guard.Failed(account, address);
        }
    }
}

public sealed class GuardedAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Accounts:LockoutMaxFailedAttempts"] = "5",
    ["DuckChat:Accounts:LogInSlowdownAfterFailures"] = "10",
    ["DuckChat:Accounts:LogInSlowdownDelay"] = "00:00:00.2",
});

[Collection(BrowserCollection.Name)]
public sealed partial class LogInAttackTests(BrowserFixture browser, GuardedAppFactory app) : IClassFixture<GuardedAppFactory>
{
    private const string WrongPassword = "Not-the-password1";

    [Fact]
    public async Task TwentyWrongPasswordsFromOtherAddresses_LeaveTheOwnersTabSending_AndTheOwnerLogsInAgain()
    {
        await app.CreateUserAsync("siege-bob");
        await app.CreateUserAsync("siege-alice");
        var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("siege-alice");
        await page.OpenAsync("/dm/siege-bob");
        await page.SendAsync("before the attack");

        await AttackAsync("siege-alice");

        await page.SendAsync("after the attack");
        var fresh = await (await browser.NewContextAsync(app)).NewPageAsync();
        await fresh.LogInAsync("siege-alice");
        await fresh.WaitForInteractiveAsync();
        Assert.Equal("siege-alice", await fresh.GetByTestId("user-name").TextContentAsync());
    }

    [Fact]
    public async Task UnknownAndRealName_AnswerAlike_ThroughTheWholeAttack()
    {
        await app.CreateUserAsync("siege-real");

        var real = await AttackAsync("siege-real");
        var unknown = await AttackAsync("siege-ghost");

        Assert.Equal(20, real.Count);
        Assert.All(real, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(real, unknown);
    }

    [Fact]
    public async Task FailuresUnderACompatibilityFormOfTheName_CountForTheName()
    {
        await app.CreateUserAsync("siege-wide");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await LogInFromAsync("198.51.100.20", "ｓｉｅｇｅ-ｗｉｄｅ", WrongPassword);
        }

        var right = await LogInFromAsync("198.51.100.20", "siege-wide", DuckChatAppFactory.Password);

        Assert.Equal(HttpStatusCode.OK, right); // answered as wrong: that address used up its tries for this name
    }

    private async Task<HttpStatusCode> LogInFromAsync(string address, string name, string password)
    {
        using var client = app.CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = name,
            ["Input.Password"] = password,
        });
        return response.StatusCode;
    }

    /// <summary>Five wrong passwords from each of four addresses; what each answer showed (status, redirect, visible text).</summary>
    private async Task<List<(HttpStatusCode Status, string? Location, string Text)>> AttackAsync(string name)
    {
        var answers = new List<(HttpStatusCode, string?, string)>();
        for (var address = 1; address <= 4; address++)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                using var client = app.CreateHttpClient();
                client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{address}");
                using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
                {
                    ["Input.UserNameOrEmail"] = name,
                    ["Input.Password"] = WrongPassword,
                });
                var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                answers.Add((response.StatusCode, response.Headers.Location?.ToString(), VisibleText(html).Replace(name, "NAME")));
            }
        }

        return answers;
    }

    private static string VisibleText(string html) =>
        Whitespace().Replace(Tags().Replace(Scripts().Replace(HtmlForms.WithoutAntiforgeryTokens(html), " "), " "), " ").Trim();

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
