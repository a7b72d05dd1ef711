using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Data;

public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Demo:Seed"] = "true" });

    [Fact]
    public async Task DemoSeed_CreatesAliceBobAndCarol_WithTheReadmePassword_AndChats()
    {
        _app.StartServer();
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            var user = await users.FindByNameAsync(name);
            Assert.NotNull(user);
            Assert.True(await users.CheckPasswordAsync(user, DemoSeeder.Password));
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "README.md"), TestContext.Current.CancellationToken);
        Assert.Contains($"`{DemoSeeder.Password}`", readme);
        await using var db = await _app.CreateDbContextAsync();
        var chats = await db.Chats.Select(c => new { c.LastSeq, Messages = db.Messages.Count(m => m.ChatId == c.Id) }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, chats.Count);
        Assert.All(chats, c => Assert.Equal(c.LastSeq, c.Messages));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
