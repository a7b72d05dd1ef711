using System.Net;
using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.Accounts;

/// <summary>Each log-in is a sign-in of its own: logging out ends it everywhere; "log out everywhere" and a new password end them all.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser, DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task LogOut_MakesACopyOfTheCookieUseless()
    {
        await app.CreateUserAsync("copy-cat");
        var original = new CookieContainer();
        using var client = await app.SignedInClientAsync("copy-cat", original);
        var copied = new CookieContainer();
        copied.Add(original.GetAllCookies());
        using var thief = app.CreateHttpClient(cookies: copied);
        using var before = await thief.GetAsync("/", TestContext.Current.CancellationToken);

        using var logOut = await client.PostFormAsync("/Identity/Account/Logout", new Dictionary<string, string>());
        using var after = await thief.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/Identity/Account/Login", after.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task LogOut_EndsThisBrowsersOtherTabs_NotAnotherBrowsers()
    {
        await app.CreateUserAsync("tabby");
        await app.CreateUserAsync("tabby-friend");
        var laptop = await browser.NewContextAsync(app);
        var first = await laptop.NewPageAsync();
        await first.LogInAsync("tabby");
        await first.OpenAsync("/dm/tabby-friend");
        var second = await laptop.NewPageAsync();
        await second.OpenAsync("/dm/tabby-friend");
        var phone = await (await browser.NewContextAsync(app)).NewPageAsync();
        await phone.LogInAsync("tabby");
        await phone.OpenAsync("/dm/tabby-friend");

        await first.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();

        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" })).ToBeVisibleAsync();
        await phone.SendAsync("still here on the phone");
    }

    [Fact]
    public async Task LogOutEverywhere_EndsEveryTabOfEveryBrowser()
    {
        await app.CreateUserAsync("everywhere");
        await app.CreateUserAsync("everywhere-friend");
        var laptop = await (await browser.NewContextAsync(app)).NewPageAsync();
        await laptop.LogInAsync("everywhere");
        await laptop.WaitForInteractiveAsync();
        var phone = await (await browser.NewContextAsync(app)).NewPageAsync();
        await phone.LogInAsync("everywhere");
        await phone.OpenAsync("/dm/everywhere-friend");

        await laptop.GotoAsync("/Identity/Account/Manage");
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Log out everywhere" }).ClickAsync();

        await laptop.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" })).ToBeVisibleAsync();
        await phone.ReloadAsync();
        Assert.Contains("/Identity/Account/Login", phone.Url);
    }

    [Fact]
    public async Task NewPassword_EndsEveryOtherSignIn_AndKeepsThisOne()
    {
        await app.CreateUserAsync("rotate");
        using var mine = await app.SignedInClientAsync("rotate");
        using var other = await app.SignedInClientAsync("rotate");

        using var changed = await mine.PostFormAsync("/Identity/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = DuckChatAppFactory.Password,
            ["Input.NewPassword"] = "Rotated2027quack",
            ["Input.ConfirmPassword"] = "Rotated2027quack",
        });
        using var stillMine = await mine.GetAsync("/", TestContext.Current.CancellationToken);
        using var notOthers = await other.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillMine.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, notOthers.StatusCode);
        Assert.Equal("/Identity/Account/Login", notOthers.Headers.Location!.AbsolutePath);
    }
}
