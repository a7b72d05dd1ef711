using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class AccountDeletionTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string AdminPassword = "Admin-Pass1";

    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Admin:Email"] = "admin@example.test",
        ["DuckChat:Admin:Password"] = AdminPassword,
    });

    [Fact]
    public async Task LastAdmin_CannotDeleteThemself()
    {
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("admin", AdminPassword);

        await DeleteOwnAccountAsync(page, AdminPassword);

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This is the last admin account.");
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("admin"));
    }

    [Fact]
    public async Task Member_DeletesOwnAccount_TheirMessagesStayFromADeletedUser()
    {
        var ivy = await _app.CreateUserAsync("ivy");
        var jack = await _app.CreateUserAsync("jack");
        await using (var db = await _app.CreateDbContextAsync())
        {
            var chat = new Chat
            {
                Kind = ChatKind.Direct, DirectKey = Chat.DirectKeyFor(ivy.Id, jack.Id), LastSeq = 1,
                Members = [new ChatMember { UserId = ivy.Id }, new ChatMember { UserId = jack.Id }],
            };
            db.Chats.Add(chat);
            db.Messages.Add(new Message { Chat = chat, Seq = 1, SenderId = ivy.Id, Body = "bye", ClientMessageId = Guid.NewGuid() });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("ivy");

        await DeleteOwnAccountAsync(page, DuckChatAppFactory.Password);

        await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));
        await using var check = await _app.CreateDbContextAsync();
        Assert.False(await check.Users.AnyAsync(u => u.Id == ivy.Id, TestContext.Current.CancellationToken));
        var message = await check.Messages.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("bye", message.Body);
        Assert.Null(message.SenderId);
        Assert.Equal([jack.Id], await check.ChatMembers.Select(m => m.UserId).ToListAsync(TestContext.Current.CancellationToken));
    }

    private static async Task DeleteOwnAccountAsync(IPage page, string password)
    {
        await page.GotoAsync("/Identity/Account/Manage/DeletePersonalData");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
