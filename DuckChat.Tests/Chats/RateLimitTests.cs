using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Chats;

public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Chat:SendBurst"] = "3",
        ["DuckChat:Chat:SendPerSecond"] = "0.01",
        ["DuckChat:Chat:WriteBurst"] = "3",
        ["DuckChat:Chat:WritePerSecond"] = "0.01",
    });

    [Fact]
    public async Task SendingFasterThanTheLimit_IsRefusedWithAClearMessage_AndNothingSaved()
    {
        var alice = await _app.CreatePersonAsync("fast-alice");
        await _app.CreatePersonAsync("fast-bob");
        var chats = _app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("fast-bob")).ChatId;

        var results = new List<SendResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await chats.SendAsync(chatId, $"m{i}", Guid.NewGuid()));
        }

        Assert.All(results.Take(3), r => Assert.True(r.Succeeded));
        Assert.Equal(SendOutcome.RateLimited, results[3].Outcome);
        Assert.Contains("too fast", results[3].Error);
        await using var db = await _app.CreateDbContextAsync();
        Assert.Equal(3, await db.Messages.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ChangesFasterThanTheirBudget_AreRefusedWithAClearMessage_WhateverTheirKind_AndNothingChanges()
    {
        var carol = await _app.CreatePersonAsync("busy-carol");
        var dave = await _app.CreatePersonAsync("busy-dave");
        var groups = _app.ServiceFor<GroupService>(carol);
        var group = (await groups.CreateAsync("Pond", [dave.Id])).ChatId;
        var sent = await _app.ChatServiceFor(carol).SendAsync(group, "hello", Guid.NewGuid());

        var renamed = await groups.RenameAsync(group, "Duck pond");
        var edited = await _app.ServiceFor<MessageActions>(carol).EditAsync(group, sent.Message!.Id, "hello there");
        var unread = await _app.ServiceFor<ReadPositions>(carol).MarkUnreadAsync(group, 1);
        var dark = await _app.ServiceFor<DuckChat.Web.Accounts.AccountService>(carol).SetDarkModeAsync(false);

        Assert.True(renamed.Succeeded);
        Assert.True(edited.Succeeded);
        Assert.Equal(ChangeResult.TooFast, unread);
        Assert.Equal(ChangeResult.TooFast, dark);
        await using (var db = await _app.CreateDbContextAsync())
        {
            Assert.True(await db.Users.Where(u => u.Id == carol.Id).Select(u => u.DarkMode).SingleAsync(TestContext.Current.CancellationToken));
            var carols = await db.ChatMembers.Where(m => m.ChatId == group && m.UserId == carol.Id).SingleAsync(TestContext.Current.CancellationToken);
            Assert.NotEqual(0, carols.LastReadSeq);
        }

        // The budget is per person, and sends have their own.
        Assert.True((await _app.ServiceFor<GroupService>(dave).RenameAsync(group, "x")).Error is not PersonRateLimits.TooManyChanges);
        Assert.True((await _app.ChatServiceFor(carol).SendAsync(group, "still sending", Guid.NewGuid())).Succeeded);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
