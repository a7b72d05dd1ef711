using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Messaging;

namespace DuckChat.Tests.Chats;

/// <summary>The live chat list (home page and sidebar) applying a person's events, against a real database.</summary>
public sealed class ChatListModelTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    /// <summary>My list of two direct chats, each with a message from the other person; the second is the newer.</summary>
    private sealed record TwoChats(ChatListModel Model, int First, int Second, ApplicationUser Sender, string Me);

    [Fact]
    public async Task NewMessage_MovesItsChatToTheTop_WithItsPreview()
    {
        var (model, first, second, sender, _) = await ListWithTwoChatsAsync("top");
        Assert.Equal([second, first], model.Chats!.Select(c => c.Id));

        var sent = await app.ChatServiceFor(sender).SendAsync(first, "back to the first", Guid.NewGuid());
        Assert.True(await model.ApplyAsync(new MessagePosted(sent.Message!)));

        Assert.Equal([first, second], model.Chats!.Select(c => c.Id));
        Assert.EndsWith("back to the first", model.Chats![0].Preview);
        Assert.Equal(sent.Message!.Seq, model.Chats[0].LastSeq);
    }

    [Fact]
    public async Task ChatILeftOrThatWasDeleted_Goes_AnotherPersonLeaving_ChangesNothing()
    {
        var (model, first, second, sender, me) = await ListWithTwoChatsAsync("gone");

        Assert.False(await model.ApplyAsync(new MemberRemoved(first, sender.Id)));
        Assert.Equal(2, model.Chats!.Count);
        Assert.True(await model.ApplyAsync(new MemberRemoved(first, me)));
        Assert.True(await model.ApplyAsync(new ChatDeleted(second)));

        Assert.Empty(model.Chats!);
    }

    [Fact]
    public async Task ChatNotYetShown_ComesInAtTheTopWhenItsFirstMessageArrives()
    {
        var me = await app.CreatePersonAsync("list-new-me");
        var model = new ChatListModel(app.ChatServiceFor(me), new DuckChat.Web.Chats.Formatting.MessageFormatter(), me.Id, pageSize: 30);
        await model.LoadNewestAsync();
        Assert.Empty(model.Chats!);
        var stranger = await app.CreatePersonAsync("list-new-stranger");
        var chats = app.ChatServiceFor(stranger);
        var chatId = (await chats.OpenDirectChatAsync(me.UserName!)).ChatId;

        var sent = await chats.SendAsync(chatId, "hello there", Guid.NewGuid());
        Assert.True(await model.ApplyAsync(new MessagePosted(sent.Message!)));

        Assert.Equal(chatId, Assert.Single(model.Chats!).Id);
    }

    private async Task<TwoChats> ListWithTwoChatsAsync(string prefix)
    {
        var me = await app.CreatePersonAsync($"list-{prefix}-me");
        var sender = await app.CreatePersonAsync($"list-{prefix}-a");
        var other = await app.CreatePersonAsync($"list-{prefix}-b");
        var first = await DirectChatWithAsync(sender, me.UserName!);
        var second = await DirectChatWithAsync(other, me.UserName!);
        var model = new ChatListModel(app.ChatServiceFor(me), new DuckChat.Web.Chats.Formatting.MessageFormatter(), me.Id, pageSize: 30);
        await model.LoadNewestAsync();
        return new TwoChats(model, first, second, sender, me.Id);
    }

    private async Task<int> DirectChatWithAsync(ApplicationUser from, string to)
    {
        var chats = app.ChatServiceFor(from);
        var chatId = (await chats.OpenDirectChatAsync(to)).ChatId;
        Assert.True((await chats.SendAsync(chatId, $"hi {to}", Guid.NewGuid())).Succeeded);
        return chatId;
    }
}
