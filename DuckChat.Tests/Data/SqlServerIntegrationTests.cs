using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Data;

/// <summary>Runs against a real SQL Server when DUCKCHAT_TEST_SQLSERVER holds a connection string (none runs on Debian here).</summary>
public sealed class SqlServerIntegrationTests
{
    [Fact]
    public async Task Migrations_ApplyAndRoundTripAChat_OnRealSqlServer()
    {
        await using var db = await MigratedAsync();
        var key = Chat.DirectKeyFor(Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        db.Chats.Add(new Chat { Kind = ChatKind.Direct, DirectKey = key, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        Assert.True(await db.Chats.AnyAsync(c => c.DirectKey == key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SearchTrigrams_FollowEveryChangeOfSearchText_IgnoringCaseAndAccents()
    {
        await using var db = await MigratedAsync();
        var chat = new Chat { Kind = ChatKind.Group, Name = "trigrams", CreatedAt = DateTime.UtcNow };
        db.Chats.Add(chat);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var message = new Message { ChatId = chat.Id, Seq = 1, Body = "Café", SearchText = "Café", ClientMessageId = Guid.NewGuid(), SentAt = DateTime.UtcNow };
        db.Messages.Add(message);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["afé", "caf"], (await TrigramsAsync(db, message.Id)).Order());
        Assert.True(await db.Messages.AnyAsync(m => m.Id == message.Id && EF.Functions.Like(m.SearchText!, "%CAFE%"), TestContext.Current.CancellationToken));

        await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, "quack"), TestContext.Current.CancellationToken);
        Assert.Equal(["ack", "qua", "uac"], (await TrigramsAsync(db, message.Id)).Order());

        await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, (string?)null), TestContext.Current.CancellationToken);
        Assert.Empty(await TrigramsAsync(db, message.Id));

        await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, "again"), TestContext.Current.CancellationToken);
        await db.Chats.Where(c => c.Id == chat.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await TrigramsAsync(db, message.Id));
    }

    private static async Task<List<string>> TrigramsAsync(SqlServerChatDbContext db, long messageId) =>
        await db.Database.SqlQuery<string>($"SELECT [Trigram] AS [Value] FROM [MessageTrigrams] WHERE [MessageId] = {messageId}")
            .ToListAsync(TestContext.Current.CancellationToken);

    private static async Task<SqlServerChatDbContext> MigratedAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("DUCKCHAT_TEST_SQLSERVER");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Skip("Skipped: set DUCKCHAT_TEST_SQLSERVER to a SQL Server connection string (a throwaway database) to run it; no SQL Server engine runs on Debian.");
        }

        var options = new DbContextOptionsBuilder<SqlServerChatDbContext>().UseSqlServer(connectionString).Options;
        var db = new SqlServerChatDbContext(options);
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return db;
    }
}
