using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;

namespace DuckChat.Tests.Chats;

/// <summary>The read-state rules on their own: unread counts from absolute values, and a chat page's reading.</summary>
public sealed class ReadingTests
{
    private const string Me = "me";

    [Fact]
    public void Counts_FollowSeqsAndPositions_NeverDrift_AndMyOwnMessagesAreRead()
    {
        var counts = new UnreadCounts(Me);
        counts.Load(new() { [1] = new ReadState(3, 1), [2] = new ReadState(5, 5) }, replace: true);

        Assert.True(counts.Apply(Posted(1, 4, "them")));
        Assert.False(counts.Apply(Posted(1, 4, "them"))); // the same event again changes nothing
        Assert.True(counts.Apply(Posted(2, 6, "them")));
        Assert.True(counts.Apply(Posted(2, 7, Me)));      // mine: read up to it
        Assert.True(counts.Apply(new ReadPositionChanged(Me, 1, 3)));

        Assert.Equal(1, counts.For(1));
        Assert.Equal(0, counts.For(2));
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void TheChatBeingRead_CountsNothing_UntilReadingStops()
    {
        var counts = new UnreadCounts(Me);
        counts.Load(new() { [1] = new ReadState(4, 1) }, replace: true);

        Assert.True(counts.Reading(1));
        Assert.False(counts.Apply(Posted(1, 5, "them"))); // shown, not counted
        Assert.Equal(0, counts.Total);
        Assert.True(counts.Reading(null));
        Assert.Equal(4, counts.Total);
    }

    [Fact]
    public void LeavingOrLosingAChat_DropsItsCount()
    {
        var counts = new UnreadCounts(Me);
        counts.Load(new() { [1] = new ReadState(4, 1), [2] = new ReadState(2, 0) }, replace: true);

        Assert.True(counts.Apply(new MemberRemoved(1, Me)));
        Assert.False(counts.Apply(new MemberRemoved(2, "someone else")));
        Assert.True(counts.Apply(new ChatDeleted(2)));

        Assert.Equal(0, counts.Total);
        Assert.False(counts.Knows(1));
    }

    [Fact]
    public void Page_ReadsOnlyWhileLooked_UpToWhatItShows_AndNotAfterMarkingUnread()
    {
        var reading = new ChatReading();
        reading.Open(savedReadSeq: 3);

        Assert.Null(reading.Shown(5)); // not looked at yet
        Assert.False(reading.AttentionChanged(attentive: true, visible: true)); // it was visible already
        Assert.Equal(5, reading.Shown(5));
        Assert.Null(reading.Shown(5)); // nothing new
        Assert.Null(reading.Shown(4)); // never back

        reading.MarkedUnread(4);
        Assert.Null(reading.Shown(9));

        reading.Open(savedReadSeq: 3); // opened again
        Assert.Equal(9, reading.Shown(9));
    }

    [Fact]
    public void Page_BecomingVisible_IsToldOnce_SoItCatchesUp()
    {
        var reading = new ChatReading();

        Assert.False(reading.AttentionChanged(attentive: false, visible: false));
        Assert.False(reading.Visible);
        Assert.True(reading.AttentionChanged(attentive: false, visible: true));
        Assert.False(reading.AttentionChanged(attentive: true, visible: true));
        Assert.True(reading.IsReading);
    }

    private static MessagePosted Posted(int chatId, long seq, string sender) =>
        new(new MessageView(seq, chatId, seq, sender, sender, "text", DateTime.UtcNow, null, false, MessageKind.Text));
}
