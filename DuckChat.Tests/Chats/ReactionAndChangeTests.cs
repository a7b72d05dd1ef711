using System.Text.Json;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Chats;

public sealed class ReactionAndChangeTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    /// <summary>The emoji the picker offers, in its order (the static file the server's set is made from).</summary>
    private static readonly List<string> Emoji = JsonSerializer.Deserialize<List<JsonElement>>(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "DuckChat.Web", "wwwroot", EmojiCatalog.DataPath)))!
        .Select(e => e.GetProperty("e").GetString()!).ToList();

    [Fact]
    public async Task Reaction_TogglesOnAndOff_AndEveryReadShowsWhoReactedInOrder()
    {
        var (alice, bob, chatId, messageId) = await ChatWithAMessageAsync("tog");
        var thumbs = Emoji.First(e => e.StartsWith("👍", StringComparison.Ordinal));

        Assert.True((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(chatId, messageId, thumbs)).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, messageId, thumbs)).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, messageId, Emoji[0])).Succeeded);

        var reactions = (await app.ChatServiceFor(alice).GetHistoryAsync(chatId)).Single().Reactions;
        Assert.Equal([(thumbs, 2), (Emoji[0], 1)], reactions.Select(r => (r.Emoji, r.Count)));
        Assert.Equal(["tog-bob", "tog-alice"], reactions[0].Names);
        Assert.True(reactions[0].Includes(bob.Id));

        Assert.True((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(chatId, messageId, thumbs)).Succeeded);
        reactions = (await app.ChatServiceFor(bob).GetHistoryAsync(chatId)).Single().Reactions;
        Assert.Equal([(thumbs, 1), (Emoji[0], 1)], reactions.Select(r => (r.Emoji, r.Count)));
        Assert.False(reactions[0].Includes(bob.Id));
    }

    [Fact]
    public async Task Reaction_IsRefused_ToANonMember_ForAnUnknownEmoji_AndOnADeletedMessage()
    {
        var (alice, _, chatId, messageId) = await ChatWithAMessageAsync("ref");
        var stranger = await app.CreatePersonAsync("ref-stranger");

        Assert.False((await app.ServiceFor<MessageActions>(stranger).ToggleReactionAsync(chatId, messageId, Emoji[0])).Succeeded);
        Assert.False((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, messageId, "not an emoji")).Succeeded);
        Assert.False((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, messageId, "👍")).Succeeded); // not as the picker spells it
        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(chatId, messageId)).Succeeded);
        Assert.False((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, messageId, Emoji[0])).Succeeded);

        await using var db = await app.CreateDbContextAsync();
        Assert.False(await db.MessageReactions.AnyAsync(r => r.MessageId == messageId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reactions_AreCappedByDistinctEmoji_ButAnyoneMayJoinOneAlreadyThere()
    {
        var (alice, bob, chatId, messageId) = await ChatWithAMessageAsync("cap");
        var actions = app.ServiceFor<MessageActions>(alice);
        foreach (var emoji in Emoji.Take(20))
        {
            Assert.True((await actions.ToggleReactionAsync(chatId, messageId, emoji)).Succeeded);
        }

        Assert.False((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(chatId, messageId, Emoji[20])).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(chatId, messageId, Emoji[5])).Succeeded);
        Assert.Equal(20, (await app.ChatServiceFor(bob).GetHistoryAsync(chatId)).Single().Reactions.Count);
    }

    [Fact]
    public async Task EveryChange_TakesTheChatsNextChangeNumber_AndCatchUpReturnsWhatChangedAfterOne()
    {
        var (alice, bob, chatId, first) = await ChatWithAMessageAsync("chg");
        var second = (await app.ChatServiceFor(bob).SendAsync(chatId, "second", Guid.NewGuid())).Message!.Id;
        var third = (await app.ChatServiceFor(bob).SendAsync(chatId, "third", Guid.NewGuid())).Message!.Id;
        var admin = await app.CreateUserAsync("chg-admin");
        await app.MakeAdminAsync(admin);
        Assert.Equal(0, (await app.ChatServiceFor(alice).GetChatAsync(chatId))!.LastChangeSeq);

        Assert.True((await app.ServiceFor<MessageActions>(alice).EditAsync(chatId, first, "first, edited")).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(chatId, second, Emoji[0])).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(bob).DeleteAsync(chatId, third)).Succeeded);
        Assert.True((await app.ServiceFor<ChatAdministration>(admin).RemoveMessageAsync(second, "Testing")).Succeeded);

        Assert.Equal(4, (await app.ChatServiceFor(alice).GetChatAsync(chatId))!.LastChangeSeq);
        var changed = await app.ChatServiceFor(alice).GetChangesAfterAsync(chatId, 1);
        Assert.Equal([(third, 3L, true), (second, 4L, true)], changed.Select(m => (m.Id, m.ChangeSeq, m.Deleted)));
        Assert.Equal([(first, 1L, "first, edited")], (await app.ChatServiceFor(bob).GetChangesAfterAsync(chatId, 0)).Take(1).Select(m => (m.Id, m.ChangeSeq, m.Body)));
        var stranger = await app.CreatePersonAsync("chg-stranger");
        Assert.Empty(await app.ChatServiceFor(stranger).GetChangesAfterAsync(chatId, 0));
    }

    [Fact]
    public async Task Reply_ShowsItsQuote_WhichFollowsTheOriginal_ThroughAnEditADeleteAndARemoval()
    {
        var (alice, bob, chatId, original) = await ChatWithAMessageAsync("rep");
        var second = (await app.ChatServiceFor(alice).SendAsync(chatId, "**second** one", Guid.NewGuid())).Message!.Id;
        var admin = await app.CreateUserAsync("rep-admin");
        await app.MakeAdminAsync(admin);

        var reply = await app.ChatServiceFor(bob).SendAsync(chatId, "my answer", Guid.NewGuid(), original);
        var replyToSecond = await app.ChatServiceFor(bob).SendAsync(chatId, "and to this", Guid.NewGuid(), second);

        Assert.True(reply.Succeeded);
        Assert.Equal(new ReplyQuote(original, 1, "rep-alice", "react here", false), reply.Message!.ReplyTo);
        Assert.Equal("second one", replyToSecond.Message!.ReplyTo!.Excerpt);
        Assert.True((await app.ServiceFor<MessageActions>(alice).EditAsync(chatId, original, "react _here_, edited")).Succeeded);
        Assert.Equal(("react here, edited", false), Quote(await app.ChatServiceFor(bob).GetHistoryAsync(chatId), reply.Message.Id));
        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(chatId, original)).Succeeded);
        Assert.Equal(("message deleted", true), Quote(await app.ChatServiceFor(bob).GetHistoryAsync(chatId), reply.Message.Id));
        Assert.True((await app.ServiceFor<ChatAdministration>(admin).RemoveMessageAsync(second, "Testing")).Succeeded);
        Assert.Equal(("removed by an admin", true), Quote(await app.ChatServiceFor(alice).GetHistoryAsync(chatId), replyToSecond.Message.Id));
    }

    [Fact]
    public async Task Reply_ToAMessageOfAnotherChat_OrInAChatImNotIn_IsRefused_AndNothingIsSaved()
    {
        var (alice, bob, chatId, original) = await ChatWithAMessageAsync("rx");
        var carol = await app.CreatePersonAsync("rx-carol");
        var otherChat = (await app.ChatServiceFor(carol).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var theirs = (await app.ChatServiceFor(carol).SendAsync(otherChat, "carol and bob only", Guid.NewGuid())).Message!.Id;

        var across = await app.ChatServiceFor(alice).SendAsync(chatId, "reply across chats", Guid.NewGuid(), theirs);
        var outsider = await app.ChatServiceFor(carol).SendAsync(chatId, "reply from outside", Guid.NewGuid(), original);

        Assert.Equal(SendOutcome.NotFound, across.Outcome);
        Assert.NotNull(across.Error);
        Assert.Equal(SendOutcome.NotFound, outsider.Outcome);
        Assert.Equal(["react here"], (await app.ChatServiceFor(alice).GetHistoryAsync(chatId)).Select(m => m.Body));
    }

    private static (string Excerpt, bool Gone) Quote(IReadOnlyList<MessageView> history, long replyId) =>
        history.Single(m => m.Id == replyId).ReplyTo is { } quote ? (quote.Excerpt, quote.Gone) : ("", false);

    private async Task<(Web.Accounts.ApplicationUser Alice, Web.Accounts.ApplicationUser Bob, int ChatId, long MessageId)> ChatWithAMessageAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var sent = await app.ChatServiceFor(alice).SendAsync(chatId, "react here", Guid.NewGuid());
        return (alice, bob, chatId, sent.Message!.Id);
    }
}
