using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Messaging;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>An app whose circuits re-check their account every two seconds, with a bus we can make lose events.</summary>
public sealed class QuickRevalidationAppFactory() : DroppingBusAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Accounts:RevalidationInterval"] = "00:00:02",
});

[Collection(BrowserCollection.Name)]
public sealed class AdminTests(BrowserFixture browser, QuickRevalidationAppFactory app) : IClassFixture<QuickRevalidationAppFactory>
{
    [Fact]
    public async Task Admin_FindsAUser_LocksThem_AndSeesTheAuditEntry()
    {
        var admin = await app.CreateUserAsync("boss");
        await app.MakeAdminAsync(admin);
        await app.CreateUserAsync("troll");
        var page = await (await browser.NewContextAsync(app)).NewPageAsync();
        await page.LogInAsync("boss");
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Find user" }).FillAsync("trol");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "troll@example.test" });
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2); // the header and troll
        await Assertions.Expect(page.GetByText("1-1 of 1")).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Lock" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }).FillAsync("flooding the team chat");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("indefinitely");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Unlock" })).ToBeVisibleAsync();

        await page.GotoAsync("/admin/audit");
        // Other tests share this app and lock users too, so the entry is found by this test's reason.
        var entry = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "flooding the team chat" });
        await Assertions.Expect(entry).ToContainTextAsync("Lock user");
        await Assertions.Expect(entry).ToContainTextAsync("boss");
        await Assertions.Expect(entry).ToContainTextAsync("troll");
    }

    [Fact]
    public async Task PlainUser_SeesNoAdminLink_AndIsNotAuthorisedAtTheAddress()
    {
        await app.CreateUserAsync("nosy");
        var page = await (await browser.NewContextAsync(app)).NewPageAsync();
        await page.LogInAsync("nosy");
        await page.WaitForInteractiveAsync();

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).CountAsync());
        var response = await page.GotoAsync("/admin/users");

        Assert.Contains("/Identity/Account/AccessDenied", page.Url);
        Assert.True(response!.Ok);
        await Assertions.Expect(page.GetByText("You do not have access to this resource.")).ToBeVisibleAsync();
        var anonymous = await (await browser.NewContextAsync(app)).NewPageAsync();
        await anonymous.GotoAsync("/admin/audit");
        Assert.Contains("/Identity/Account/Login?ReturnUrl=%2Fadmin%2Faudit", anonymous.Url);
    }

    [Fact]
    public async Task LockedWhileChatting_NextSendIsRefusedAtOnce_PageSignsOut_AndLogInIsRefused()
    {
        var admin = await app.CreateUserAsync("lock-admin");
        await app.MakeAdminAsync(admin);
        var bob = await app.CreateUserAsync("lock-bob");
        await app.CreateUserAsync("lock-alice");
        var page = await (await browser.NewContextAsync(app)).NewPageAsync();
        await page.LogInAsync("lock-bob");
        await page.OpenAsync("/dm/lock-alice");
        await page.SendAsync("before the lock");

        // The bus loses the sign-out event, so only the server-side checks stand between Bob and the chat.
        app.Bus.DropNext(Topics.User(bob.Id));
        Assert.True((await app.ServiceFor<UserAdministration>(admin).LockAsync(bob.Id, null, "test")).Succeeded);
        await page.MessageBox().FillAsync("after the lock");
        await page.MessageBox().PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You have been signed out");
        await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"), new() { Timeout = 20_000 });
        await page.GetByLabel("Username or email").FillAsync("lock-bob");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DuckChatAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account is locked.");
        Assert.Contains("/Identity/Account/Login", page.Url);
        await using var db = await app.CreateDbContextAsync();
        Assert.DoesNotContain("after the lock", db.Messages.Select(m => m.Body).ToList());
    }

    [Fact]
    public async Task LockedWithTheBusWorking_EveryOpenTabShowsSignedOutAtOnce()
    {
        var admin = await app.CreateUserAsync("tabs-admin");
        await app.MakeAdminAsync(admin);
        var carl = await app.CreateUserAsync("tabs-carl");
        var context = await browser.NewContextAsync(app);
        var first = await context.NewPageAsync();
        await first.LogInAsync("tabs-carl");
        await first.WaitForInteractiveAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitForInteractiveAsync();

        Assert.True((await app.ServiceFor<UserAdministration>(admin).LockAsync(carl.Id, null, "test")).Succeeded);

        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" })).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RemovedMessage_AndDeletedChat_VanishLiveFromEveryOpenPage()
    {
        var admin = await app.CreateUserAsync("mod-admin");
        await app.MakeAdminAsync(admin);
        var alice = await app.CreateUserAsync("mod-alice");
        await app.CreateUserAsync("mod-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync("mod-bob")).ChatId;
        var alicePage = await (await browser.NewContextAsync(app)).NewPageAsync();
        var bobPage = await (await browser.NewContextAsync(app)).NewPageAsync();
        await alicePage.LogInAsync("mod-alice");
        await bobPage.LogInAsync("mod-bob");
        await alicePage.OpenAsync($"/chats/{chatId}");
        await bobPage.OpenAsync($"/chats/{chatId}");
        await alicePage.SendAsync("fine message");
        await alicePage.SendAsync("offensive message");
        await bobPage.ExpectLastMessagesAsync(["fine message", "offensive message"]);
        var moderation = app.ServiceFor<ChatAdministration>(admin);
        var target = (await moderation.SearchMessagesAsync("offensive", null, chatId, 0, 10)).Items.Single();

        Assert.True((await moderation.RemoveMessageAsync(target.Id, "offensive")).Succeeded);

        await alicePage.ExpectLastMessagesAsync(["fine message", "removed by an admin"]);
        await bobPage.ExpectLastMessagesAsync(["fine message", "removed by an admin"]);
        Assert.DoesNotContain("offensive message", await bobPage.ContentAsync());

        Assert.True((await moderation.DeleteChatAsync(chatId, "the whole thread")).Succeeded);

        await Assertions.Expect(bobPage.GetByRole(AriaRole.Heading, new() { Name = "You are no longer in this chat" })).ToBeVisibleAsync();
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Heading, new() { Name = "You are no longer in this chat" })).ToBeVisibleAsync();
    }
}
