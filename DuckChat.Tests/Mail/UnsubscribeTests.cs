using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static DuckChat.Tests.Mail.MissedMailApp;
using LinkState = DuckChat.Web.Areas.Identity.Pages.Account.StopMissedMailModel.LinkState;

namespace DuckChat.Tests.Mail;

public sealed partial class UnsubscribeTests
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromMinutes(16);
    private const string AuthCookie = ".AspNetCore.Identity.Application";

    [Fact]
    public async Task MailedLink_AsksOnOpening_TurnsMailOffOnConfirming_Once_AndSignsNobodyIn()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var (alice, bob) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"));
        var direct = await app.DirectChatAsync(bob, alice);
        await app.SendAsync(bob, direct, "first");
        app.Clock.Advance(PastTheWindow);
        await app.PassAsync();
        var link = Assert.Single(LinksIn(Assert.Single(await app.MailsToAsync(alice))),
            l => l.StartsWith(PublicUrl + MissedMailSetting.UnsubscribePagePath + "?token=", StringComparison.Ordinal));
        var cookies = new CookieContainer();
        using var client = app.CreateHttpClient(cookies: cookies);
        var path = new Uri(link).PathAndQuery;

        var (opened, form) = await OpenAsync(client, path);
        var offAfterOpening = await IsOffAsync(app, alice);
        var confirmed = await ConfirmAsync(client, path, form);
        var again = await ConfirmAsync(client, path, form);
        using var home = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(LinkState.Usable, opened);
        Assert.False(offAfterOpening); // opening (as a mail scanner does) changes nothing
        Assert.Equal(LinkState.TurnedOff, confirmed);
        Assert.Equal(LinkState.Refused, again);
        Assert.True(await IsOffAsync(app, alice));
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name.StartsWith(AuthCookie, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/Identity/Account/Login", home.Headers.Location?.ToString());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.SendAsync(bob, direct, "second");
        app.Clock.Advance(PastTheWindow);
        Assert.Equal(0, await app.PassAsync());
        Assert.Single(await app.MailsToAsync(alice));
    }

    [Fact]
    public async Task AccountPage_TurnsMailOnAgain_AndVoidsTheLinksMadeBefore()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var alice = await app.CreateUserAsync("alice");
        var bob = await app.CreatePersonAsync("bob");
        var path = new Uri(app.Services.GetRequiredService<MissedMailSetting>().CreateUnsubscribeLink(alice.Id, 0)).PathAndQuery;
        using var anonymous = app.CreateHttpClient();
        var (_, form) = await OpenAsync(anonymous, path);
        Assert.Equal(LinkState.TurnedOff, await ConfirmAsync(anonymous, path, form));
        using var signedIn = await app.SignedInClientAsync("alice");

        using var saved = await signedIn.PostFormAsync(MissedMailSetting.AccountPagePath, new Dictionary<string, string> { ["on"] = "true" });
        var onAfterSaving = !await IsOffAsync(app, alice);
        var oldLink = await ConfirmAsync(anonymous, path, form);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(onAfterSaving);
        Assert.Equal(LinkState.Refused, oldLink);
        Assert.False(await IsOffAsync(app, alice));
        await app.LastSeenAsync(alice, TimeSpan.FromHours(1));
        await app.SendAsync(bob, await app.DirectChatAsync(bob, alice), "you are back on");
        app.Clock.Advance(PastTheWindow);
        Assert.Equal(1, await app.PassAsync());
    }

    [Fact]
    public async Task ChangedForeignOrExpiredTokens_AreRefused()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var alice = await app.CreatePersonAsync("alice");
        var setting = app.Services.GetRequiredService<MissedMailSetting>();
        var good = TokenOf(setting.CreateUnsubscribeLink(alice.Id, 0));
        var expires = (app.Clock.GetUtcNow() + TimeSpan.FromDays(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var foreign = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DuckChat.SomethingElse").Protect($"{alice.Id}|0|{expires}");
        var longAgo = new FakeTimeProvider(app.Clock.GetUtcNow() - TimeSpan.FromDays(31));
        var expired = TokenOf(ActivatorUtilities.CreateInstance<MissedMailSetting>(app.Services, (TimeProvider)longAgo).CreateUnsubscribeLink(alice.Id, 0));
        var middle = good.Length / 2;
        var changed = good[..middle] + (good[middle] == 'A' ? 'B' : 'A') + good[(middle + 1)..];
        using var client = app.CreateHttpClient();
        var goodPath = PagePath(good);
        var (_, form) = await OpenAsync(client, goodPath);

        foreach (var token in new[] { changed, foreign, expired, "", "not-a-token" })
        {
            Assert.Equal(LinkState.Refused, (await OpenAsync(client, PagePath(token))).State);
            Assert.Equal(LinkState.Refused, await ConfirmAsync(client, PagePath(token), new Dictionary<string, string>(form) { ["token"] = token }));
        }

        Assert.False(await IsOffAsync(app, alice));
        Assert.Equal(LinkState.TurnedOff, await ConfirmAsync(client, goodPath, form)); // the form itself works
    }

    private static string TokenOf(string link) => Uri.UnescapeDataString(new Uri(link).Query["?token=".Length..]);

    private static string PagePath(string token) => $"{MissedMailSetting.UnsubscribePagePath}?token={Uri.EscapeDataString(token)}";

    private static async Task<(LinkState State, Dictionary<string, string> Form)> OpenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        return (StateOf(page), HtmlForms.HiddenInputs(page));
    }

    private static async Task<LinkState> ConfirmAsync(HttpClient client, string path, Dictionary<string, string> form)
    {
        using var answer = await client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return StateOf(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static LinkState StateOf(string page) => Enum.Parse<LinkState>(State().Match(page).Groups[1].Value);

    private static async Task<bool> IsOffAsync(MissedMailApp app, ApplicationUser user)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == user.Id).Select(u => u.MissedMailOff).SingleAsync(TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("id=\"stop-missed-mail\" data-state=\"(\\w+)\"")]
    private static partial Regex State();
}
