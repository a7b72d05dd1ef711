using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Chats;

public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Chat:SendBurst"] = "3",
        ["DuckChat:Chat:SendPerSecond"] = "0.01",
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

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
