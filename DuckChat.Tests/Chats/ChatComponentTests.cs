using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace DuckChat.Tests.Chats;

public sealed class ChatComponentTests : MudTestContext
{
    [Fact]
    public void MessageRow_ShowsTextAsText_KeepsLineBreaks_AndReadsInEitherDirection()
    {
        var message = new MessageView(1, 1, 1, "me", "alice", "<img src=x onerror=alert(1)>\nsecond line", DateTime.UtcNow, null, false);

        var row = RenderList([message], out _).Find(".message");

        var body = row.QuerySelector(".message-body")!;
        Assert.Equal("<img src=x onerror=alert(1)>\nsecond line", body.TextContent);
        Assert.Empty(row.QuerySelectorAll("img"));
        Assert.Equal("auto", body.GetAttribute("dir"));
        Assert.Contains("mine", row.ClassList);
        Assert.Equal("alice", row.QuerySelector(".message-sender")!.TextContent);
    }

    [Fact]
    public void MessageRow_FromADeletedAccount_SaysDeletedUser()
    {
        var message = new MessageView(1, 1, 1, null, null, "still here", DateTime.UtcNow, null, false);

        var row = RenderList([message], out _).Find(".message");

        Assert.Equal("deleted user", row.QuerySelector(".message-sender")!.TextContent);
        Assert.Contains("theirs", row.ClassList);
    }

    [Fact]
    public void Block_RendersAgainOnlyWhenOneOfItsMessagesChanges()
    {
        var message = Text(1, "me", "first words");
        var list = RenderList([message, Text(2, "u2", "other words")], out _);
        var block = list.FindComponent<MessageBlock>();
        var rendersAtFirst = block.RenderCount;

        // The page renders the list again (a new message elsewhere, new callbacks): the block's messages are the same.
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));
        Assert.Equal(rendersAtFirst, block.RenderCount);

        Assert.True(list.Instance.Timeline.Change(message with { Body = "edited words", EditedAt = DateTime.UtcNow, ChangeSeq = 1 }, Quote).Shown);
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));
        Assert.Equal(rendersAtFirst + 1, block.RenderCount);
        Assert.Equal("edited words", list.FindAll(".message-body")[0].TextContent);
        Assert.Single(list.FindAll(".message-edited"));
    }

    [Fact]
    public void NewMessage_RendersOnlyTheLastBlock_AndKeepsTheOtherRows()
    {
        var size = ChatTimeline.BlockSize;
        var list = RenderList(Enumerable.Range(1, 2 * size + 1).Select(i => Text(i, "u2", $"m{i}")).ToList(), out _);
        var blocks = list.FindComponents<MessageBlock>();
        Assert.Equal(3, blocks.Count);
        var blockRenders = blocks.Select(b => b.RenderCount).ToList();

        Assert.Equal(ReceiveOutcome.Appended, list.Instance.Timeline.Receive(Text(2 * size + 2, "u2", "new words")));
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));

        Assert.Equal([blockRenders[0], blockRenders[1], blockRenders[2] + 1], blocks.Select(b => b.RenderCount));
        Assert.Equal(2 * size + 2, list.FindAll(".message").Count);
        Assert.Equal("new words", list.FindAll(".message-body")[^1].TextContent);
    }

    [Fact]
    public void MessageRows_ShowTheReadersTime_AndFollowTheZoneOnceTheBrowserSaysIt()
    {
        var sentAt = DateTime.UtcNow;
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var layout = RenderListIn(TimeZoneInfo.Utc, [Text(1, "me", "hi") with { SentAt = sentAt }], out _);
        Assert.Equal(LocalTime.Clock(sentAt, TimeZoneInfo.Utc), layout.Find(".message time").TextContent);

        layout.Render(p => p.Add(l => l.Zone, tokyo));

        Assert.Equal(LocalTime.Clock(sentAt, tokyo), layout.Find(".message time").TextContent);
        Assert.NotEqual(LocalTime.Clock(sentAt, TimeZoneInfo.Utc), LocalTime.Clock(sentAt, tokyo));
    }

    [Fact]
    public void MessageRows_ShareOneMenu_AndHaveNoHandlersOfTheirOwn()
    {
        var list = RenderList([Text(1, "me", "mine"), Text(2, "u2", "theirs")], out _);

        Assert.Single(list.FindAll("[role=menu]"));
        var buttons = list.FindAll(".message-menu-button");
        Assert.Equal(2, buttons.Count);
        Assert.All(buttons, b => Assert.Equal(MessageList.MenuId, b.GetAttribute("popovertarget")));
        Assert.All(list.FindAll(".message *"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("blazor:on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MessageMenu_ActsOnlyWhereTheMessageAllows()
    {
        var list = RenderList([Text(1, "me", "my words"), Text(2, "u2", "their words"), Text(3, "me", "gone") with { Deleted = true }], out var calls);

        await list.InvokeAsync(() => list.Instance.MessageActionAsync(2, "edit"));
        await list.InvokeAsync(() => list.Instance.MessageActionAsync(2, "delete"));
        await list.InvokeAsync(() => list.Instance.MessageActionAsync(3, "delete"));
        await list.InvokeAsync(() => list.Instance.MessageActionAsync(99, "unread"));
        Assert.Empty(list.FindAll("textarea"));
        Assert.Empty(calls);

        await list.InvokeAsync(() => list.Instance.MessageActionAsync(2, "unread"));
        await list.InvokeAsync(() => list.Instance.MessageActionAsync(1, "delete"));
        Assert.Equal(["unread 2", "delete 1"], calls);

        await list.InvokeAsync(() => list.Instance.MessageActionAsync(1, "edit"));
        Assert.Equal("my words", list.Find("textarea").GetAttribute("value"));
        Assert.True(list.FindAll("button").Single(b => b.TextContent == "Save").HasAttribute("blazor:onclick")); // how a handler shows
        list.FindAll("button").Single(b => b.TextContent == "Cancel").Click();
        Assert.Empty(list.FindAll("textarea"));
    }

    [Fact]
    public void OpenedAroundAMessage_MarksItCurrent_AndOffersOlderNewerAndTheNewest()
    {
        var list = RenderList([Text(1, "u2", "first")], out _);
        Assert.Empty(list.FindAll(".history-sentinel, .newer-sentinel, .jump-newest"));

        list.Instance.Timeline.ShowAround(new MessagePage([Text(4, "u2", "a"), Text(5, "u2", "b"), Text(6, "u2", "c")], HasNewer: true), 5);
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));

        var current = Assert.Single(list.FindAll("[aria-current]"));
        Assert.Equal("true", current.GetAttribute("aria-current"));
        Assert.Contains("highlighted", current.ClassList);
        Assert.Equal("b", current.QuerySelector(".message-body")!.TextContent);
        Assert.Equal(["Load older messages", "Load newer messages", "Jump to newest"],
            list.FindAll(".history-sentinel button, .newer-sentinel button, .jump-newest").Select(b => b.TextContent.Trim()));
        Assert.Equal(list.Instance.Timeline.Openings.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Find(".message-list").GetAttribute("data-opening"));
    }

    private IRenderedComponent<MessageList> RenderList(IReadOnlyList<MessageView> messages, out List<string> calls) =>
        RenderListIn(TimeZoneInfo.Utc, messages, out calls).FindComponent<MessageList>();

    /// <summary>A list under the layout's time zone, which the layout changes once the browser has said it.</summary>
    private IRenderedComponent<ZoneLayout> RenderListIn(TimeZoneInfo zone, IReadOnlyList<MessageView> messages, out List<string> calls)
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest(messages);
        var made = new List<string>();
        calls = made;
        return Render<ZoneLayout>(layout => layout.Add(l => l.Zone, zone).AddChildContent<MessageList>(p => p
            .Add(l => l.Timeline, timeline).Add(l => l.MyUserId, "me")
            .Add(l => l.OnLoadOlder, () => Task.CompletedTask)
            .Add(l => l.OnMarkUnread, m => { made.Add($"unread {m.Seq}"); return Task.CompletedTask; })
            .Add(l => l.OnDelete, m => { made.Add($"delete {m.Seq}"); return Task.CompletedTask; })));
    }

    /// <summary>The time zone as MainLayout cascades it.</summary>
    private sealed class ZoneLayout : ComponentBase
    {
        [Parameter] public TimeZoneInfo Zone { get; set; } = TimeZoneInfo.Utc;
        [Parameter] public RenderFragment? ChildContent { get; set; }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<CascadingValue<TimeZoneInfo>>(0);
            builder.AddComponentParameter(1, nameof(CascadingValue<TimeZoneInfo>.Value), Zone);
            builder.AddComponentParameter(2, nameof(CascadingValue<TimeZoneInfo>.ChildContent), ChildContent);
            builder.CloseComponent();
        }
    }

    private static readonly ReplyQuote Quote = new(0, 0, "", "", false);

    private static MessageView Text(long seq, string senderId, string body) =>
        new(seq, 1, seq, senderId, senderId, body, DateTime.UtcNow, null, false);

    [Fact]
    public void ChatListItem_IsOneLinkNamedFirstByTheChat_WithPreview()
    {
        var chat = new ChatSummary(7, DuckChat.Web.Data.ChatKind.Direct, "bob", DateTime.UtcNow, 3, "bob: see you");

        var item = Render(ChatListItem.For(chat, new ChatBadge(2, false, MuteLevel.None), TimeZoneInfo.Utc, current: false));

        var link = item.Find("a");
        Assert.Equal("/chats/7", link.GetAttribute("href"));
        // The avatar is hidden from assistive technology, so the name is what the link's name starts with.
        Assert.Equal("true", item.Find(".avatar").GetAttribute("aria-hidden"));
        Assert.StartsWith("bob", item.Find(".chat-list-text").TextContent.Trim());
        Assert.Contains("bob: see you", link.TextContent);
        Assert.Equal("2", item.Find(".chat-list-unread").TextContent);
        Assert.Null(link.GetAttribute("aria-current"));
        Assert.Empty(item.FindAll(".chat-list-mention, .muted"));
    }

    [Fact]
    public void ChatListItem_WithAnUnreadMentionInAMutedChat_ShowsTheAtBadge_AndIsDimmed()
    {
        var chat = new ChatSummary(9, DuckChat.Web.Data.ChatKind.Group, "Ducks", DateTime.UtcNow, 5, "bob: @alice look");

        var item = Render(ChatListItem.For(chat, new ChatBadge(4, true, MuteLevel.ExceptMentions), TimeZoneInfo.Utc, current: false));

        Assert.Single(item.FindAll(".chat-list-mention"));
        Assert.Contains("muted", item.Find("a").ClassList);
        Assert.Equal("4", item.Find(".chat-list-unread").TextContent);
    }

    [Fact]
    public void ChatListItem_OfTheOpenChat_IsTheCurrentPage_AndAGroupHasNoAvatar()
    {
        var chat = new ChatSummary(8, DuckChat.Web.Data.ChatKind.Group, "Ducks", DateTime.UtcNow, 3, null);

        var item = Render(ChatListItem.For(chat, default, TimeZoneInfo.Utc, current: true));

        Assert.Equal("page", item.Find("a").GetAttribute("aria-current"));
        Assert.Empty(item.FindAll(".avatar, .chat-list-unread"));
    }

    [Fact]
    public void OneSendersMessages_WithinFiveMinutes_ShareOneHeader()
    {
        var start = DateTime.UtcNow.AddMinutes(-30);
        var list = RenderList([At(1, "u2", start), At(2, "u2", start.AddMinutes(2)), At(3, "u2", start.AddMinutes(7))], out _);

        var rows = list.FindAll(".message");
        Assert.Single(list.FindAll(".message-sender"));
        Assert.Single(rows[0].QuerySelectorAll(".avatar"));
        Assert.Contains("continued", rows[1].ClassList);
        Assert.Contains("continued", rows[2].ClassList);
        Assert.Empty(rows[1].QuerySelectorAll(".message-sender, .avatar"));
        // A following row still says when, for a reader who asks (its title, and the time shown on hover).
        Assert.Equal(LocalTime.Full(start.AddMinutes(2), TimeZoneInfo.Utc), rows[1].QuerySelector("time")!.GetAttribute("title"));
        Assert.Single(rows[1].QuerySelectorAll(".message-menu-button"));
    }

    [Fact]
    public void SixMinuteGap_OrAnotherSender_StartsANewHeader()
    {
        var start = DateTime.UtcNow.AddMinutes(-30);
        var list = RenderList([At(1, "u2", start), At(2, "u2", start.AddMinutes(6)), At(3, "u3", start.AddMinutes(7)), At(4, "u2", start.AddMinutes(8))], out _);

        Assert.Equal(["u2", "u2", "u3", "u2"], list.FindAll(".message-sender").Select(s => s.TextContent));
        Assert.Empty(list.FindAll(".message.continued"));
    }

    [Fact]
    public void Grouping_LooksAcrossBlocks_AndANewMessageStillRendersOnlyItsBlock()
    {
        // Yesterday at noon: the run never crosses midnight, whose day separator would start a new group.
        var start = DateTime.UtcNow.Date.AddHours(-12);
        var size = ChatTimeline.BlockSize;
        var list = RenderList(Enumerable.Range(1, size + 1).Select(i => At(i, "u2", start.AddMinutes(i))).ToList(), out _);
        var blocks = list.FindComponents<MessageBlock>();
        var renders = blocks.Select(b => b.RenderCount).ToList();

        Assert.Single(list.FindAll(".message-sender"));
        Assert.Equal(size, list.FindAll(".message.continued").Count);

        list.Instance.Timeline.Receive(At(size + 2, "u3", start.AddMinutes(size + 2)));
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));

        Assert.Equal([renders[0], renders[1] + 1], blocks.Select(b => b.RenderCount));
        Assert.Equal(["u2", "u3"], list.FindAll(".message-sender").Select(s => s.TextContent));
    }

    [Fact]
    public void DaySeparators_SayYesterdayAndToday_AndSplitAGroup()
    {
        var today = DateTime.UtcNow.Date;
        var list = RenderList([At(1, "u2", today.AddDays(-3).AddHours(12)), At(2, "u2", today.AddMinutes(-1)), At(3, "u2", today.AddMinutes(1))], out _);

        var separators = list.FindAll("[role=separator]");
        Assert.Equal(3, separators.Count);
        Assert.Equal(["Yesterday", "Today"], separators.Skip(1).Select(s => s.GetAttribute("aria-label")));
        Assert.Equal(DateOnly.FromDateTime(today.AddDays(-3)).ToString("yyyy-MM-dd"), separators[0].QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Equal(3, list.FindAll(".message-sender").Count);
    }

    private static MessageView At(long seq, string senderId, DateTime sentAt) => Text(seq, senderId, $"m{seq}") with { SentAt = sentAt };
}
