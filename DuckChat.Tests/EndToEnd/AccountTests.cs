using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserFixture browser, DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task Register_SignsInAndLandsOnHome_GreetedByName()
    {
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("Username").FillAsync("dora.duck");
        await page.GetByLabel("Email").FillAsync("dora@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByLabel("Confirm password").FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        await page.WaitForURLAsync(app.Url("/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, dora.duck" })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("DuckChat");
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.CreateDbContextAsync();
            return await db.Users.AnyAsync(u => u.UserName == "dora.duck" && u.LastSeenAt != null);
        }, because: "the open tab to record when dora was last seen");
    }

    [Fact]
    public async Task Register_WithATakenOrBadUserName_SaysWhy()
    {
        await app.CreateUserAsync("taken");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("Username").FillAsync("Taken");
        await page.GetByLabel("Email").FillAsync("other@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByLabel("Confirm password").FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Username 'Taken' is already taken.");
        await page.GetByLabel("Username").FillAsync("no spaces");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByLabel("Confirm password").FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A username has 3–32 letters, digits");
    }

    [Fact]
    public async Task LogOut_ThenLogIn_WithUserNameAndWithEmail()
    {
        await app.CreateUserAsync("eve", "eve@example.test");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        foreach (var identifier in new[] { "eve", "eve@example.test" })
        {
            await page.LogInAsync(identifier);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, eve" })).ToBeVisibleAsync();
            await page.WaitForInteractiveAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();

            await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));
            var response = await page.GotoAsync("/");
            Assert.Contains("/Identity/Account/Login", page.Url);
            Assert.True(response!.Ok);
        }
    }

    [Fact]
    public async Task AnonymousVisit_GoesToLogIn_AndComesBackAfter()
    {
        await app.CreateUserAsync("frank");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/not-found");
        await page.GotoAsync("/");
        Assert.Contains("/Identity/Account/Login?ReturnUrl=%2F", page.Url);

        await page.GetByLabel("Username or email").FillAsync("frank");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await page.WaitForURLAsync(app.Url("/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, frank" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DarkModeSwitch_IsSaved_ReachesOtherTabs_AndTheIdentityPages()
    {
        await app.CreateUserAsync("gina");
        await using var context = await browser.NewContextAsync(app);
        var first = await context.NewPageAsync();
        await first.LogInAsync("gina");
        await first.WaitForInteractiveAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitForInteractiveAsync();
        var firstSwitch = first.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" });
        var secondSwitch = second.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" });
        await Assertions.Expect(firstSwitch).ToBeCheckedAsync();
        var darkBackground = await BackgroundAsync(first);
        Assert.NotEqual("", darkBackground);

        await firstSwitch.ClickAsync();

        await Assertions.Expect(firstSwitch).Not.ToBeCheckedAsync();
        await Assertions.Expect(secondSwitch).Not.ToBeCheckedAsync();
        await Eventually.TrueAsync(async () => await BackgroundAsync(second) != darkBackground, because: "the second tab to turn light");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("gina");
            Assert.False(saved!.DarkMode);
        }

        await first.ReloadAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" })).Not.ToBeCheckedAsync();
        await first.GotoAsync("/Identity/Account/Manage");
        await Assertions.Expect(first.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "light");
    }

    [Fact]
    public async Task FiveBadPasswords_StopThatAddressCheckingTheName_WithoutLockingTheAccount()
    {
        await app.CreateUserAsync("hugo");
        await using var elsewhere = await browser.NewContextAsync(app, new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7" } });
        var guesser = await elsewhere.NewPageAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await guesser.LogInAsync("hugo", "Wrong-password1");
            await Assertions.Expect(guesser.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid log-in attempt.");
        }

        await guesser.LogInAsync("hugo");
        await Assertions.Expect(guesser.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid log-in attempt.");
        var owner = await (await browser.NewContextAsync(app)).NewPageAsync();
        await owner.LogInAsync("hugo");
        await owner.WaitForInteractiveAsync();
        Assert.Equal("hugo", await owner.GetByTestId("user-name").TextContentAsync());
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()");
}
