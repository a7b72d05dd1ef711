using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Search;

/// <summary>An app whose indexer waits ten minutes between rounds: a test decides when new messages enter the index.</summary>
public sealed class PausedIndexerAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Chat:SendBurst"] = "1000",
    ["DuckChat:Chat:WriteBurst"] = "1000",
    ["DuckChat:Search:IndexInterval"] = "00:10:00",
});

/// <summary>New messages enter the index in batches; until then search reads them directly, and changes meanwhile are never lost.</summary>
public sealed class SearchIndexerTests(PausedIndexerAppFactory app) : IClassFixture<PausedIndexerAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewMessages_AreFoundBeforeTheIndexHoldsThem_AndEnterItInOneRound()
    {
        var (alice, chatId) = await ChatAsync("ixnew");
        var sent = new List<long>();
        foreach (var text in new[] { "ixnew-first service-42", "ixnew-second", "ixnew-third service-42" })
        {
            sent.Add((await app.ChatServiceFor(alice).SendAsync(chatId, text, Guid.NewGuid())).Message!.Id);
        }

        Assert.Empty(await MatchAsync("ixnew-"));
        var found = await app.ServiceFor<MessageSearch>(alice).SearchAsync("rvice-42", null, Ct);
        Assert.Equal(SearchOutcome.Found, found.Outcome);
        Assert.Equal([sent[2], sent[0]], found.Hits.Select(h => h.MessageId));

        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(Ct);

        Assert.Equal(sent, await MatchAsync("ixnew-"));
        Assert.True(await IndexedThroughAsync() >= sent[^1]);
        var again = await app.ServiceFor<MessageSearch>(alice).SearchAsync("rvice-42", null, Ct);
        Assert.Equal([sent[2], sent[0]], again.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task EditsAndDeletes_BeforeAndAfterIndexing_LeaveTheIndexExactlyAsTheMessages()
    {
        var (alice, chatId) = await ChatAsync("ixchg");
        var chat = app.ChatServiceFor(alice);
        var editedIndexed = (await chat.SendAsync(chatId, "ixchg-old-a", Guid.NewGuid())).Message!;
        var deletedIndexed = (await chat.SendAsync(chatId, "ixchg-gone-b", Guid.NewGuid())).Message!;
        await app.Services.GetRequiredService<SearchIndexer>().CatchUpAsync(Ct);
        var editedWaiting = (await chat.SendAsync(chatId, "ixchg-old-c", Guid.NewGuid())).Message!;
        var deletedWaiting = (await chat.SendAsync(chatId, "ixchg-gone-d", Guid.NewGuid())).Message!;
        Assert.True(await IndexedThroughAsync() < editedWaiting.Id);

        var actions = app.ServiceFor<MessageActions>(alice);
        Assert.True((await actions.EditAsync(chatId, editedIndexed.Id, "ixchg-new-a")).Succeeded);
        Assert.True((await actions.EditAsync(chatId, editedWaiting.Id, "ixchg-new-c")).Succeeded);
        Assert.True((await actions.DeleteAsync(chatId, deletedIndexed.Id)).Succeeded);
        Assert.True((await actions.DeleteAsync(chatId, deletedWaiting.Id)).Succeeded);

        var search = app.ServiceFor<MessageSearch>(alice);
        Assert.Equal([editedWaiting.Id, editedIndexed.Id], (await search.SearchAsync("ixchg-new", null, Ct)).Hits.Select(h => h.MessageId));
        Assert.Empty((await search.SearchAsync("ixchg-old", null, Ct)).Hits);
        Assert.Empty((await search.SearchAsync("ixchg-gone", null, Ct)).Hits);

        await SearchIndexTests.AssertIndexMatchesMessagesAsync(app);
        Assert.Equal([editedIndexed.Id, editedWaiting.Id], await MatchAsync("ixchg-new"));
        Assert.Empty(await MatchAsync("ixchg-old"));
        Assert.Empty(await MatchAsync("ixchg-gone"));
    }

    [Fact]
    public async Task TheIndexer_AddsNewMessagesByItself()
    {
        await using var live = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Search:IndexInterval"] = "00:00:00.050" });
        var alice = await live.CreatePersonAsync("ixlive-alice");
        var bob = await live.CreatePersonAsync("ixlive-bob");
        var chatId = (await live.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;

        var sent = (await live.ChatServiceFor(alice).SendAsync(chatId, "ixlive-text", Guid.NewGuid())).Message!;

        await Eventually.TrueAsync(async () =>
        {
            await using var db = await live.CreateDbContextAsync();
            return (await SearchIndexTests.MatchAsync(db, "ixlive-text")).Contains(sent.Id);
        }, because: "the indexer's next round adds the message");
    }

    private async Task<(Web.Accounts.ApplicationUser Alice, int ChatId)> ChatAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        return (alice, (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId);
    }

    private async Task<long> IndexedThroughAsync()
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Database.SqlQueryRaw<long>($"""SELECT "IndexedThrough" AS "Value" FROM "{SearchIndex.StateTable}" """).SingleAsync(Ct);
    }

    /// <summary>What the index alone finds, as it is now (no round run first).</summary>
    private async Task<List<long>> MatchAsync(string text)
    {
        await using var db = await app.CreateDbContextAsync();
        return await SearchIndexTests.MatchAsync(db, text);
    }
}
