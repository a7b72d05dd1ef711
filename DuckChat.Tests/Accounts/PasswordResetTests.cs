using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Areas.Identity.Pages.Account;
using DuckChat.Web.Mail;
using Microsoft.EntityFrameworkCore;
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
        Assert.Contains(ResetPasswordModel.Refusal, WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
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
        await using var mailing = MailingApp(smtp);
        var user = await mailing.CreateUserAsync("mia", "mia@example.test");
        using var client = mailing.CreateHttpClient();

        using var known = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "mia@example.test" });
        using var unknown = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" });
        await WaitForEmptyQueueAsync(mailing);

        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        Assert.EndsWith("/Identity/Account/ForgotPasswordConfirmation", known.Headers.Location?.ToString());
        var message = await ParseAsync(Assert.Single(smtp.Messages)); // nothing for the unknown email
        Assert.Equal("mia@example.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("duckchat@example.test", message.From.Mailboxes.Single().Address);
        var link = LinkIn(message);
        Assert.StartsWith($"{PublicUrl}/Identity/Account/ResetPassword?code=", link);
        using var reset = await client.PostFormAsync(mailing.Url(new Uri(link).PathAndQuery), ResetForm("mia@example.test", NewPassword));
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.True(await CheckPasswordAsync(mailing, user, NewPassword));
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("X-Forwarded-Host")]
    public async Task ForgedHost_NeverAppearsInAMailedLink(string header)
    {
        await using var smtp = new FakeSmtpServer();
        await using var mailing = MailingApp(smtp);
        await mailing.CreateUserAsync("vic", "vic@example.test");
        using var forged = mailing.CreateHttpClient();
        forged.DefaultRequestHeaders.Add(header, "evil.example");
        using var plain = mailing.CreateHttpClient();

        using var forgedAnswer = await forged.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "vic@example.test" });
        using var plainAnswer = await plain.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "vic@example.test" });
        await WaitForEmptyQueueAsync(mailing);

        Assert.Equal(2, smtp.Messages.Count);
        foreach (var mail in smtp.Messages)
        {
            Assert.DoesNotContain("evil.example", mail);
            Assert.StartsWith($"{PublicUrl}/Identity/Account/ResetPassword?code=", LinkIn(await ParseAsync(mail)));
        }
    }

    [Fact]
    public async Task MailServerWithoutStartTls_GetsNothing_WhileTlsIsRequired_AndTheMailWaitsForARetry()
    {
        await using var smtp = new FakeSmtpServer();
        await using var mailing = MailingApp(smtp, useStartTls: true);
        await mailing.CreateUserAsync("tess", "tess@example.test");
        using var client = mailing.CreateHttpClient();

        using var answer = await client.PostFormAsync(ForgotPasswordPath, new Dictionary<string, string> { ["Input.Email"] = "tess@example.test" });
        var waiting = await Eventually.GetAsync(async () =>
        {
            await using var db = await mailing.CreateDbContextAsync();
            return await db.QueuedMails.AsNoTracking().SingleAsync();
        }, mail => mail.Attempts > 0, because: "a failed attempt");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Empty(smtp.Messages);
        Assert.Null(waiting.ClaimedBy);
        Assert.True(waiting.DueAt > waiting.QueuedAt);
    }

    [Fact]
    public async Task SeveralSenders_ShareOneQueue_AndEachMailGoesOutOnce()
    {
        await using var smtp = new FakeSmtpServer();
        await using var mailing = MailingApp(smtp);
        await mailing.CreateUserAsync("quinn", "quinn@example.test");
        var queue = mailing.Services.GetRequiredService<MailQueue>();
        for (var i = 0; i < 20; i++)
        {
            await queue.EnqueueAsync(MailKind.PasswordReset, "quinn@example.test");
        }

        // Two more senders, as two more instances on the same database would run, besides the app's own.
        var others = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<MailSender>(mailing.Services)).ToList();
        await Task.WhenAll(others.Select(sender => Task.Run(async () =>
        {
            while (await sender.DoDueAsync(TestContext.Current.CancellationToken) > 0)
            {
            }
        })));
        await WaitForEmptyQueueAsync(mailing);

        Assert.Equal(20, smtp.Messages.Count);
    }

    [Fact]
    public async Task ForgotPasswordConfirmation_SaysAMailWentOnlyIfTheAccountExists()
    {
        using var client = app.CreateHttpClient();

        var page = await client.GetStringAsync("/Identity/Account/ForgotPasswordConfirmation", TestContext.Current.CancellationToken);

        Assert.Contains("If an account with that email exists, we have sent it a link to reset the password.", page);
    }

    private const string PublicUrl = "https://chat.example.test";

    /// <summary>An app that mails through <paramref name="smtp"/>, with its public address set as a mail server requires.</summary>
    private static DuckChatAppFactory MailingApp(FakeSmtpServer smtp, bool useStartTls = false) => DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:PublicUrl"] = PublicUrl,
        ["DuckChat:Smtp:Host"] = "127.0.0.1",
        ["DuckChat:Smtp:Port"] = smtp.Port.ToString(),
        ["DuckChat:Smtp:From"] = "duckchat@example.test",
        ["DuckChat:Smtp:UseStartTls"] = useStartTls.ToString(),
    });

    private static Task WaitForEmptyQueueAsync(DuckChatAppFactory app) => Eventually.TrueAsync(async () =>
    {
        await using var db = await app.CreateDbContextAsync();
        return !await db.QueuedMails.AnyAsync();
    }, because: "the mail queue to empty");

    private static async Task<MimeMessage> ParseAsync(string mail) =>
        await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail)), TestContext.Current.CancellationToken);

    private static string LinkIn(MimeMessage message) => WebUtility.HtmlDecode(MailedLink().Match(message.HtmlBody ?? "").Groups[1].Value);

    private static Dictionary<string, string> ResetForm(string userNameOrEmail, string password) => new()
    {
        ["Input.UserNameOrEmail"] = userNameOrEmail,
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
