using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DuckChat.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQLite migration: run dotnet ef migrations add ... --context SqliteChatDbContext");
    }

    [Fact]
    public void SqlServerMigrations_MatchTheModel()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQL Server migration: run dotnet ef migrations add ... --context SqlServerChatDbContext");
    }

    [Fact]
    public void SqlServerScript_CreatesEveryTableAndUniqueIndex_WithoutAServer()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var table in new[] { "AspNetUsers", "AspNetRoles", "AspNetUserRoles", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserTokens", "AspNetRoleClaims", "Chats", "ChatMembers", "Messages" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script);
        }

        Assert.Contains("CREATE UNIQUE INDEX [IX_Messages_ChatId_Seq] ON [Messages] ([ChatId], [Seq])", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Messages_SenderId_ClientMessageId] ON [Messages] ([SenderId], [ClientMessageId])", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Chats_DirectKey] ON [Chats] ([DirectKey]) WHERE [DirectKey] IS NOT NULL", script);
        Assert.Contains("CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName])", script);
        Assert.Contains("CREATE INDEX [IX_ChatMembers_UserId] ON [ChatMembers] ([UserId])", script);
        Assert.Contains("nvarchar(max)", script);
        // Every inserted message moves its chat's LastSeq and its sender's read position (the writer's one-statement send).
        Assert.Contains("CREATE TRIGGER [Messages_Appended] ON [Messages] AFTER INSERT", script);
        // Search: SearchText compares ignoring case and accents, and a trigger keeps its trigram side table.
        Assert.Contains("[SearchText] nvarchar(max) COLLATE Latin1_General_100_CI_AI NULL", script);
        Assert.Contains("CREATE TABLE [MessageTrigrams]", script);
        Assert.Contains("CONSTRAINT [PK_MessageTrigrams] PRIMARY KEY ([Trigram], [MessageId])", script);
        Assert.Contains("CREATE TRIGGER [Messages_SearchTrigrams] ON [Messages] AFTER INSERT, UPDATE, DELETE", script);
        Assert.Contains("DELETE t FROM [MessageTrigrams] AS t JOIN deleted AS d ON d.[Id] = t.[MessageId]", script);
        Assert.Contains("INSERT INTO [MessageTrigrams] ([Trigram], [MessageId])", script);
    }

    [Fact]
    public async Task SqliteDatabase_EnforcesOneDirectChatPerPairAndOneSeqPerChat()
    {
        var folder = TestPaths.NewTempDirectory("sqlite");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "t.db")}").Options;
            await using (var db = new SqliteChatDbContext(options))
            {
                await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
                db.Chats.Add(new Chat { Kind = ChatKind.Direct, DirectKey = Chat.DirectKeyFor("a", "b") });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }

            await using (var db = new SqliteChatDbContext(options))
            {
                db.Chats.Add(new Chat { Kind = ChatKind.Direct, DirectKey = Chat.DirectKeyFor("b", "a") });
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            }

            await using (var db = new SqliteChatDbContext(options))
            {
                var chat = await db.Chats.SingleAsync(TestContext.Current.CancellationToken);
                db.Messages.Add(new Message { ChatId = chat.Id, Seq = 1, Body = "one", ClientMessageId = Guid.NewGuid() });
                db.Messages.Add(new Message { ChatId = chat.Id, Seq = 1, Body = "again", ClientMessageId = Guid.NewGuid() });
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(folder);
        }
    }

    /// <summary>
    /// The triggers the model declares (the write path's and the search index's) are the ones the migrated database has:
    /// a migration that rebuilds a table in SQLite drops its triggers, and nothing else would notice.
    /// </summary>
    [Fact]
    public async Task SqliteDatabase_HasEveryTriggerTheModelDeclares()
    {
        var folder = TestPaths.NewTempDirectory("sqlite");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "t.db")}").Options;
            await using var db = new SqliteChatDbContext(options);
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

            var declared = db.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredTriggers().Select(t => (Table: e.GetTableName(), Name: t.GetDatabaseName())))
                .Order().ToList();
            var present = (await db.Database.SqlQueryRaw<string>("""SELECT tbl_name || '/' || name AS "Value" FROM sqlite_master WHERE type = 'trigger'""")
                .ToListAsync(TestContext.Current.CancellationToken)).Select(t => (Table: (string?)t.Split('/')[0], Name: (string?)t.Split('/')[1])).Order().ToList();

            Assert.NotEmpty(declared);
            Assert.Equal(declared, present);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(folder);
        }
    }

    [Fact]
    public void DirectKey_IsTheSameForBothOrdersAndCannotCollide()
    {
        Assert.Equal(Chat.DirectKeyFor("x", "y"), Chat.DirectKeyFor("y", "x"));
        // The original joined names with '_' so "a_b"+"c" met "a"+"b_c"; ids never contain the separator.
        Assert.NotEqual(Chat.DirectKeyFor("a_b", "c"), Chat.DirectKeyFor("a", "b_c"));
    }
}
