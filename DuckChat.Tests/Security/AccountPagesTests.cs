using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Security;

/// <summary>Only the account pages DuckChat uses exist, and none of them tells whether an email has an account.</summary>
public sealed class AccountPagesTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task PackagedPages_AnswerOnlyIfDuckChatUsesThem()
    {
        var pages = PackagedPagePaths().ToList();
        await app.CreateUserAsync("walker");
        using var signedIn = await app.SignedInClientAsync("walker");
        using var anonymous = app.CreateHttpClient();
        var wrong = new List<string>();

        foreach (var path in pages)
        {
            using var signedInGet = await signedIn.GetAsync(path, TestContext.Current.CancellationToken);
            using var anonymousGet = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);
            using var anonymousPost = await anonymous.PostAsync(path, new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
            var used = IdentityPagesInUse.Kept.Contains(path["/Identity".Length..]);
            // In Development, static assets add a GET-only fallback route, so a POST to nowhere is 405 there, 404 elsewhere.
            var postServed = anonymousPost.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
            if (new[] { signedInGet, anonymousGet }.Any(answer => used == (answer.StatusCode == HttpStatusCode.NotFound)) || used != postServed)
            {
                wrong.Add($"{path} ({(used ? "kept" : "not kept")}): {signedInGet.StatusCode}, {anonymousGet.StatusCode}, {anonymousPost.StatusCode}");
            }
        }

        Assert.True(pages.Count >= 30, $"Only {pages.Count} packaged pages found.");
        Assert.Contains("/Identity/Account/RegisterConfirmation", pages);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>Every page Identity.UI ships (its Bootstrap 5 set, which the app uses), as an address.</summary>
    private static IEnumerable<string> PackagedPagePaths() => typeof(Microsoft.AspNetCore.Identity.UI.UIFrameworkAttribute).Assembly
        .GetCustomAttributes(typeof(RazorCompiledItemAttribute), false).Cast<RazorCompiledItemAttribute>()
        .Where(item => item.Kind == "mvc.1.0.razor-page" && item.Identifier.StartsWith("/Areas/Identity/Pages/V5/", StringComparison.Ordinal))
        .Select(item => "/Identity/" + item.Identifier["/Areas/Identity/Pages/V5/".Length..^".cshtml".Length]);

    [Fact]
    public async Task ResetPassword_WithABadCode_AnswersAlikeForKnownAndUnknownEmails()
    {
        await app.CreateUserAsync("reset-known", "reset-known@example.test");
        using var client = app.CreateHttpClient();

        var known = await ResetAsync(client, "reset-known@example.test");
        var unknown = await ResetAsync(client, "reset-nobody@example.test");

        Assert.Equal(known.Status, unknown.Status);
        Assert.Equal(known.Body.Replace("reset-known", "X"), unknown.Body.Replace("reset-nobody", "X"));
    }

    [Fact]
    public async Task Register_WithATakenEmail_AnswersLikeAFreshOne()
    {
        await app.CreateUserAsync("first-owner", "shared@example.test");

        var taken = await RegisterAsync("second-person", "shared@example.test");
        var fresh = await RegisterAsync("third-person", "fresh@example.test");

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(fresh.Headers.Location, taken.Headers.Location);
    }

    [Fact]
    public async Task Register_ANameThatLooksLikeAnExistingOne_IsRefused()
    {
        await app.CreateUserAsync("oscar");

        using var armenianO = await RegisterAsync("\u0585scar", "armenian-oscar@example.test");
        using var ipaAlpha = await RegisterAsync("\u0251scar", "ipa-oscar@example.test");

        Assert.Equal(HttpStatusCode.OK, armenianO.StatusCode);
        Assert.Contains("looks like someone else", WebUtility.HtmlDecode(await armenianO.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(HttpStatusCode.Redirect, ipaAlpha.StatusCode); // ɑscar is not oscar
    }

    [Fact]
    public async Task LookAlikesFromBeforeTheCheck_AreKept_AndListedForAdmins()
    {
        var admin = await app.CreateUserAsync("look-admin");
        await app.MakeAdminAsync(admin);
        var older = await app.CreateUserAsync("pond-keeper");
        var impostor = await app.CreateUserAsync("pond-keeper-2");
        await using (var db = await app.CreateDbContextAsync())
        {
            // As an account registered before names were compared by their look: same key as the older one.
            await db.Users.Where(u => u.Id == impostor.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.UserNameSkeleton, UserNameSkeleton.Of("pond-keeper")),
                TestContext.Current.CancellationToken);
        }

        var admins = app.ServiceFor<UserAdministration>(admin);
        var groups = await admins.LookAlikesAsync();
        var locked = await admins.LockAsync(impostor.Id, null, "posing as pond-keeper");

        Assert.Contains(groups, group => group.SequenceEqual([older.UserName, impostor.UserName]));
        Assert.True(locked.Succeeded, locked.Error); // an account kept from before the check can still be managed
    }

    private async Task<(HttpStatusCode Status, string Body)> ResetAsync(HttpClient client, string email)
    {
        using var response = await client.PostFormAsync("/Identity/Account/ResetPassword?code=bm90LWEtY29kZQ", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = email,
            ["Input.Password"] = "Whatever2027quack",
            ["Input.ConfirmPassword"] = "Whatever2027quack",
        });
        return (response.StatusCode, HtmlForms.WithoutAntiforgeryTokens(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    private async Task<HttpResponseMessage> RegisterAsync(string userName, string email)
    {
        using var client = app.CreateHttpClient();
        return await client.PostFormAsync("/Identity/Account/Register", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Email"] = email,
            ["Input.Password"] = DuckChatAppFactory.Password,
            ["Input.ConfirmPassword"] = DuckChatAppFactory.Password,
        });
    }
}
