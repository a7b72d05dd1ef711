using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Data;

/// <summary>Runs against a real SQL Server when DUCKCHAT_TEST_SQLSERVER holds a connection string (none runs on Debian here).</summary>
public sealed class SqlServerIntegrationTests
{
    [Fact]
    public async Task Migrations_ApplyAndRoundTripAChat_OnRealSqlServer()
    {
        var connectionString = Environment.GetEnvironmentVariable("DUCKCHAT_TEST_SQLSERVER");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Skip("Skipped: set DUCKCHAT_TEST_SQLSERVER to a SQL Server connection string (a throwaway database) to run it; no SQL Server engine runs on Debian.");
        }

        var options = new DbContextOptionsBuilder<SqlServerChatDbContext>().UseSqlServer(connectionString).Options;
        await using var db = new SqlServerChatDbContext(options);
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        var key = Chat.DirectKeyFor(Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        db.Chats.Add(new Chat { Kind = ChatKind.Direct, DirectKey = key, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        Assert.True(await db.Chats.AnyAsync(c => c.DirectKey == key, TestContext.Current.CancellationToken));
    }
}
