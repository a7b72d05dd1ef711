using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;

namespace DuckChat.Tests.Chats;

public sealed class ChatComponentTests : MudTestContext
{
    [Fact]
    public void MessageRow_ShowsTextAsText_KeepsLineBreaks_AndReadsInEitherDirection()
    {
        var message = new MessageView(1, 1, 1, "u1", "alice", "<img src=x onerror=alert(1)>\nsecond line", DateTime.UtcNow, null, false);

        var row = Render<MessageRow>(p => p.Add(r => r.Message, message).Add(r => r.Mine, true));

        var body = row.Find(".message-body");
        Assert.Equal("<img src=x onerror=alert(1)>\nsecond line", body.TextContent);
        Assert.Empty(row.FindAll("img"));
        Assert.Equal("auto", body.GetAttribute("dir"));
        Assert.Contains("mine", row.Find(".message").ClassList);
        Assert.Equal("alice", row.Find(".message-sender").TextContent);
    }

    [Fact]
    public void MessageRow_FromADeletedAccount_SaysDeletedUser()
    {
        var message = new MessageView(1, 1, 1, null, null, "still here", DateTime.UtcNow, null, false);

        var row = Render<MessageRow>(p => p.Add(r => r.Message, message));

        Assert.Equal("deleted user", row.Find(".message-sender").TextContent);
        Assert.Contains("theirs", row.Find(".message").ClassList);
    }

    [Fact]
    public void MessageRow_RendersAgainOnlyWhenItsMessageChanges()
    {
        var message = new MessageView(1, 1, 1, "u1", "alice", "first words", DateTime.UtcNow, null, false);
        var row = Render<MessageRow>(p => p.Add(r => r.Message, message).Add(r => r.Mine, true));
        var rendersAtFirst = row.RenderCount;

        // The list renders (a new message elsewhere) and hands the row the same message, with new callbacks.
        row.Render(p => p.Add(r => r.Message, message).Add(r => r.Mine, true).Add(r => r.OnDelete, _ => Task.CompletedTask));
        Assert.Equal(rendersAtFirst, row.RenderCount);

        row.Render(p => p.Add(r => r.Message, message with { Body = "edited words", EditedAt = DateTime.UtcNow }).Add(r => r.Mine, true));
        Assert.Equal(rendersAtFirst + 1, row.RenderCount);
        Assert.Equal("edited words", row.Find(".message-body").TextContent);
    }

    [Fact]
    public void ChatListItem_IsOneLinkNamedFirstByTheChat_WithPreview()
    {
        var chat = new ChatSummary(7, DuckChat.Web.Data.ChatKind.Direct, "bob", DateTime.UtcNow, 3, "bob: see you");

        var item = Render<ChatListItem>(p => p.Add(c => c.Chat, chat).Add(c => c.Unread, 2));

        var link = item.Find("a");
        Assert.Equal("/chats/7", link.GetAttribute("href"));
        Assert.StartsWith("bob", link.TextContent.Trim());
        Assert.Contains("bob: see you", link.TextContent);
        Assert.Equal("2", item.Find(".chat-list-unread").TextContent);
    }
}
