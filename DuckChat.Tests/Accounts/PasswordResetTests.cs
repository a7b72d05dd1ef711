using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DuckChat.Tests.Accounts;

public sealed partial class PasswordResetTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    private const string NewPassword = "Fresh2027quack";
    private const string ForgotPasswordPath = "/Identity/Account/ForgotPassword";

    [Fact]
    public async Task ResetLink_SetsTheNewPasswordOnce_ThenIsRefused()
    {
        var user = await app.CreateUserAsync("rita", "rita@example.test");
        var link = await CreateLinkAsync(app, user);
        using var client = app.CreateHttpClient();

        using var first = await client.PostFormAsync(link, ResetForm("rita@example.test", NewPassword));
        using var second = await client.PostFormAsync(link, ResetForm("rita@example.test", "Other2028quack"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.EndsWith("/Identity/Account/ResetPasswordConfirmation", first.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Invalid token.", await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(await CheckPasswordAsync(app, user, NewPassword));
        Assert.False(await CheckPasswordAsync(app, user, "Other2028quack"));
        Assert.False(await CheckPasswordAsync(app, user, DuckChatAppFactory.Password));
    }

    [Fact]
    public async Task ResetLink_IsAbsoluteToThePackagedResetPage()
    {
        var user = await app.CreateUserAsync("rolf");

        var link = await CreateLinkAsync(app, user, "https://chat.example.test/");

        Assert.StartsWith("https://chat.example.test/Identity/Account/ResetPassword?code=", link);
        Assert.Matches("^[A-Za-z0-9_-]+$", new Uri(link).Query["?code=".Length..]);
    }

    [Fact]
    public async Task ResetLink_AfterItsLifetime_IsRefusedAsInvalidToken()
    {
        await using var shortLived = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Accounts:PasswordResetLinkLifetime"] = "00:00:01",
        });
        var user = await shortLived.CreateUserAsync("ezra");
        var token = TokenOf(await CreateLinkAsync(shortLived, user));
        Assert.True(await IsValidResetTokenAsync(shortLived, user, token), "The token should work at first.");

        // Elapsed time is the very condition under test: poll until the one-second lifetime has run out.
        await Eventually.TrueAsync(async () => !await IsValidResetTokenAsync(shortLived, user, token),
            TimeSpan.FromSeconds(10), because: "the reset token to expire");
        await using var scope = shortLived.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.ResetPasswordAsync((await users.FindByIdAsync(user.Id))!, token, NewPassword);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "InvalidToken");
        Assert.True(await CheckPasswordAsync(shortLived, user, DuckChatAppFactory.Password));
    }

    [Fact]
    public async Task ForgotPassword_WithoutSmtp_AnswersTheSameForKnownAndUnknownEmails()
    {
        await app.CreateUserAsync("otto", "otto@example.test");
        using var client = app.CreateHttpClient();

        using var known = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "otto@example.test" });
        using var unknown = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" });

        var knownBody = HtmlForms.WithoutAntiforgeryTokens(await known.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var unknownBody = HtmlForms.WithoutAntiforgeryTokens(await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(knownBody, unknownBody);
        Assert.Contains("Password resets are handled by your DuckChat admin: ask them for a reset link.", knownBody);
        Assert.DoesNotContain("otto@example.test", knownBody);
    }

    [Fact]
    public async Task ForgotPassword_WithSmtp_MailsAWorkingLinkToKnownEmailsOnly()
    {
        await using var smtp = new FakeSmtpServer();
        await using var mailing = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Smtp:Host"] = "127.0.0.1",
            ["DuckChat:Smtp:Port"] = smtp.Port.ToString(),
            ["DuckChat:Smtp:From"] = "duckchat@example.test",
            ["DuckChat:Smtp:UseStartTls"] = "false",
        });
        var user = await mailing.CreateUserAsync("mia", "mia@example.test");
        using var client = mailing.CreateHttpClient();

        using var known = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "mia@example.test" });
        var mails = await Eventually.GetAsync(() => Task.FromResult(smtp.Messages), m => m.Count > 0, because: "the reset mail");
        using var unknown = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" });

        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        Assert.EndsWith("/Identity/Account/ForgotPasswordConfirmation", known.Headers.Location?.ToString());
        var mail = Assert.Single(smtp.Messages); // nothing more for the unknown email (mail is sent before the answer)
        Assert.Same(mails[0], mail);
        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail)), TestContext.Current.CancellationToken);
        Assert.Equal("mia@example.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("duckchat@example.test", message.From.Mailboxes.Single().Address);
        var link = WebUtility.HtmlDecode(MailedLink().Match(message.HtmlBody ?? "").Groups[1].Value);
        Assert.StartsWith(mailing.Url("/Identity/Account/ResetPassword?code="), link);
        using var reset = await client.PostFormAsync(link, ResetForm("mia@example.test", NewPassword));
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.True(await CheckPasswordAsync(mailing, user, NewPassword));
    }

    [Fact]
    public async Task ForgotPasswordConfirmation_SaysAMailWentOnlyIfTheAccountExists()
    {
        using var client = app.CreateHttpClient();

        var page = await client.GetStringAsync("/Identity/Account/ForgotPasswordConfirmation", TestContext.Current.CancellationToken);

        Assert.Contains("If an account with that email exists, we have sent it a link to reset the password.", page);
    }

    private static Dictionary<string, string> ResetForm(string email, string password) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = password,
    };

    private static async Task<string> CreateLinkAsync(DuckChatAppFactory app, ApplicationUser user, string? baseUrl = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var links = scope.ServiceProvider.GetRequiredService<PasswordResetLinks>();
        return await links.CreateLinkAsync(user, baseUrl ?? app.BaseAddress.ToString());
    }

    private static string TokenOf(string link) =>
        Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(QueryHelpers.ParseQuery(new Uri(link).Query)["code"].ToString()));

    private static async Task<bool> IsValidResetTokenAsync(DuckChatAppFactory app, ApplicationUser user, string token)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.VerifyUserTokenAsync((await users.FindByIdAsync(user.Id))!,
            users.Options.Tokens.PasswordResetTokenProvider, UserManager<ApplicationUser>.ResetPasswordTokenPurpose, token);
    }

    private static async Task<bool> CheckPasswordAsync(DuckChatAppFactory app, ApplicationUser user, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(user.Id))!, password);
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex MailedLink();
}
