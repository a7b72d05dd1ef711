using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
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

    [Fact]
    public async Task GroupOwner_DeletesOwnAccount_TheLongestStandingMemberOwnsTheGroup()
    {
        var lena = await _app.CreateUserAsync("lena");
        var mona = await _app.CreateUserAsync("mona");
        var nico = await _app.CreateUserAsync("nico");
        var groupId = (await _app.ServiceFor<GroupService>(lena).CreateAsync("lena's group", [nico.Id, mona.Id])).ChatId;
        await using (var db = await _app.CreateDbContextAsync())
        {
            var joined = DateTime.UtcNow;
            await db.ChatMembers.Where(m => m.ChatId == groupId && m.UserId == mona.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, joined.AddHours(-2)), TestContext.Current.CancellationToken);
            await db.ChatMembers.Where(m => m.ChatId == groupId && m.UserId == nico.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, joined.AddHours(-1)), TestContext.Current.CancellationToken);
        }

        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await page.LogInAsync("lena");

        await DeleteOwnAccountAsync(page, DuckChatAppFactory.Password);

        await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));
        var header = (await _app.ChatServiceFor(mona).GetChatAsync(groupId))!;
        Assert.True(header.IAmOwner);
        Assert.Equal(ChatRole.Member, header.Members.Single(m => m.UserId == nico.Id).Role);
        Assert.Equal("deleted user left the group; mona is now the owner", (await _app.ChatServiceFor(nico).GetHistoryAsync(groupId))[^1].DisplayText);
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
