using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Search;

/// <summary>The write path keeps SearchText, and through the triggers the index, in step with every change of a message.</summary>
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
        // FTS5 compares the whole index with Messages.SearchText and fails on any difference.
        await using var check = await app.CreateDbContextAsync();
        await check.Database.ExecuteSqlRawAsync("""INSERT INTO "MessageSearch" ("MessageSearch", rank) VALUES ('integrity-check', 1)""", Ct);
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

    private async Task<List<long>> MatchAsync(string text)
    {
        await using var db = await app.CreateDbContextAsync();
        return await MatchAsync(db, text);
    }
}
