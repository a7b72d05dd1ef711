using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Search;

/// <summary>The write path keeps SearchText, and through the indexer and the triggers the index, in step with every change of a message.</summary>
public sealed class SearchIndexTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SentMessage_IsIndexed_WithItsSearchText()
    {
        var (alice, chatId) = await ChatAsync("ixsend");

        var sent = (await app.ChatServiceFor(alice).SendAsync(chatId, "see [docs](http://internal.example/ixsend) 明天的会议", Guid.NewGuid())).Message!;

        Assert.Equal(SearchText.ForIndex(sent.Body, MessageKind.Text, false), await SearchTextOfAsync(sent.Id));
        Assert.Equal([sent.Id], await MatchAsync("ttp://internal.example/ixsen"));
        Assert.Contains(sent.Id, await MatchAsync("DOCS"));
        Assert.Contains(sent.Id, await MatchAsync("会议" + SearchText.BigramMark));
    }

    [Fact]
    public async Task EditedMessage_IsFoundByItsNewTextOnly()
    {
        var (alice, chatId) = await ChatAsync("ixedit");
        var sent = (await app.ChatServiceFor(alice).SendAsync(chatId, "ixedit-before", Guid.NewGuid())).Message!;

        Assert.True((await app.ServiceFor<MessageActions>(alice).EditAsync(chatId, sent.Id, "ixedit-after")).Succeeded);

        Assert.Empty(await MatchAsync("ixedit-before"));
        Assert.Equal([sent.Id], await MatchAsync("ixedit-after"));
    }

    [Fact]
    public async Task DeletedAndRemovedMessages_LeaveTheIndex()
    {
        var (alice, chatId) = await ChatAsync("ixgone");
        var deleted = (await app.ChatServiceFor(alice).SendAsync(chatId, "ixgone-deleted", Guid.NewGuid())).Message!;
        var removed = (await app.ChatServiceFor(alice).SendAsync(chatId, "ixgone-removed", Guid.NewGuid())).Message!;
        var admin = await app.CreateAdminAsync("ixgone-admin");

        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(chatId, deleted.Id)).Succeeded);
        Assert.True((await app.ServiceFor<ChatAdministration>(admin).RemoveMessageAsync(removed.Id, "abuse")).Succeeded);

        Assert.Null(await SearchTextOfAsync(deleted.Id));
        Assert.Null(await SearchTextOfAsync(removed.Id));
        Assert.Empty(await MatchAsync("ixgone-"));
    }

    [Fact]
    public async Task SystemLines_AreNotIndexed_AndADeletedChatLeavesNoEntries()
    {
        var alice = await app.CreatePersonAsync("ixsys-alice");
        var bob = await app.CreatePersonAsync("ixsys-bob");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync("ixsys group", [bob.Id]);
        Assert.True(created.Succeeded);
        await using (var db = await app.CreateDbContextAsync())
        {
            var chatId = await db.Chats.Where(c => c.Name == "ixsys group").Select(c => c.Id).SingleAsync(Ct);
            Assert.All(await db.Messages.Where(m => m.ChatId == chatId).ToListAsync(Ct), m => Assert.Null(m.SearchText));
            await app.ChatServiceFor(alice).SendAsync(chatId, "ixsys-text", Guid.NewGuid());
            Assert.Single(await MatchAsync("ixsys-text"));

            await db.Chats.Where(c => c.Id == chatId).ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await MatchAsync("ixsys-text"));
        await AssertIndexMatchesMessagesAsync(app);
    }

    /// <summary>The index, once the indexer has run, holds exactly the messages with a SearchText (see the overload).</summary>
    internal static async Task AssertIndexMatchesMessagesAsync(DuckChatAppFactory app)
    {
        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(Ct);
        await using var db = await app.CreateDbContextAsync();
        await AssertIndexMatchesMessagesAsync(db);
    }

    /// <summary>
    /// The index is sound (FTS5's own check of its structure) and holds an entry for exactly the messages it is complete
    /// through that have a SearchText. FTS5's stricter check against the content table cannot be used: it expects an
    /// entry for every row of Messages, and messages without SearchText are left out on purpose.
    /// </summary>
    internal static async Task AssertIndexMatchesMessagesAsync(ChatDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('integrity-check')""", Ct);
        var indexed = await db.Database.SqlQueryRaw<long>("""SELECT id AS "Value" FROM "MessageSearch_docsize" ORDER BY id""").ToListAsync(Ct);
        var expected = await db.Database.SqlQueryRaw<long>(
            """
            SELECT Id AS "Value" FROM Messages
            WHERE SearchText IS NOT NULL AND Id <= (SELECT IndexedThrough FROM SearchIndexState) ORDER BY Id
            """).ToListAsync(Ct);
        Assert.Equal(expected.Order(), indexed.Order());
    }

    private async Task<(Web.Accounts.ApplicationUser Alice, int ChatId)> ChatAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        return (alice, (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId);
    }

    private async Task<string?> SearchTextOfAsync(long messageId)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Messages.Where(m => m.Id == messageId).Select(m => m.SearchText).SingleAsync(Ct);
    }

    /// <summary>The ids the index finds for a substring (quoted: an FTS5 string, matched as it is).</summary>
    internal static async Task<List<long>> MatchAsync(ChatDbContext db, string text) =>
        await db.Database.SqlQuery<long>(
                $"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH {"\"" + text.Replace("\"", "\"\"") + "\""} ORDER BY rowid""")
            .ToListAsync(Ct);

    /// <summary>What the index finds once it holds every message saved so far.</summary>
    private async Task<List<long>> MatchAsync(string text)
    {
        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(Ct);
        await using var db = await app.CreateDbContextAsync();
        return await MatchAsync(db, text);
    }
}
