using DuckChat.Web.Chats;

namespace DuckChat.Tests.Chats;

public sealed class ChatTimelineTests
{
    [Fact]
    public void NextMessage_IsAppended_AnAlreadyShownOneIgnored_AndASkipIsAGap()
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest([Message(1), Message(2)]);

        Assert.Equal(ReceiveOutcome.Appended, timeline.Receive(Message(3)));
        Assert.Equal(ReceiveOutcome.AlreadyShown, timeline.Receive(Message(3)));
        Assert.Equal(ReceiveOutcome.AlreadyShown, timeline.Receive(Message(1)));
        Assert.Equal(ReceiveOutcome.Gap, timeline.Receive(Message(5)));
        Assert.Equal([1L, 2L, 3L], timeline.Messages.Select(m => m.Seq));
        Assert.Equal(3, timeline.LastSeq);
    }

    [Fact]
    public void FetchedMessages_FillTheGapInOrder_EachOnce()
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest([Message(1)]);
        timeline.Receive(Message(2));

        var added = timeline.ShowFetched([Message(2), Message(3), Message(4)]);

        Assert.Equal(2, added);
        Assert.Equal([1L, 2L, 3L, 4L], timeline.Messages.Select(m => m.Seq));
    }

    [Fact]
    public void OlderPage_GoesInFront_AndHasOlderTellsWhetherMoreExist()
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest([Message(51), Message(52)]);
        Assert.True(timeline.HasOlder);

        timeline.ShowOlder(Enumerable.Range(1, 51).Select(i => Message(i)).ToList());

        Assert.Equal(Enumerable.Range(1, 52).Select(i => (long)i), timeline.Messages.Select(m => m.Seq));
        Assert.False(timeline.HasOlder);
    }

    [Fact]
    public void EmptyChat_StartsAtZero_AndTakesTheFirstMessage()
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest([]);

        Assert.False(timeline.HasOlder);
        Assert.Equal(ReceiveOutcome.Appended, timeline.Receive(Message(1)));
    }

    [Fact]
    public void PageLeftOpen_KeepsOnlyTheNewest_AndTheDroppedOnesAreOlderAgain()
    {
        var timeline = new ChatTimeline(10);
        timeline.ShowNewest(Enumerable.Range(1, 10).Select(i => Message(i)).ToList());

        timeline.ShowFetched(Enumerable.Range(11, 5).Select(i => Message(i)).ToList());

        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), timeline.Messages.Select(m => m.Seq));
        Assert.True(timeline.HasOlder);
        Assert.Equal(15, timeline.LastSeq);
        Assert.Equal(ReceiveOutcome.AlreadyShown, timeline.Receive(Message(3)));
    }

    [Fact]
    public void Blocks_SplitTheShownMessagesBySeq_AndOnlyAChangedBlockIsANewObject()
    {
        var size = ChatTimeline.BlockSize;
        var timeline = new ChatTimeline(3 * size);
        timeline.ShowNewest(Enumerable.Range(1, 2 * size + 1).Select(i => Message(i)).ToList());
        var before = timeline.Blocks;
        Assert.Equal([0L, 1L, 2L], before.Select(b => b.Number));
        Assert.Equal(Enumerable.Range(1, 2 * size + 1).Select(i => (long)i), before.SelectMany(b => b.Messages).Select(m => m.Seq));

        timeline.Receive(Message(2 * size + 2));
        var afterNew = timeline.Blocks;
        Assert.Same(before[0], afterNew[0]);
        Assert.Same(before[1], afterNew[1]);
        Assert.NotSame(before[2], afterNew[2]);
        Assert.Equal([2L * size + 1, 2L * size + 2], afterNew[2].Messages.Select(m => m.Seq));

        Assert.True(timeline.Change(Message(size + 1) with { Body = "edited", ChangeSeq = 1 }, new ReplyQuote(0, 0, "", "", false)).Shown);
        var afterEdit = timeline.Blocks;
        Assert.Same(afterNew[0], afterEdit[0]);
        Assert.NotSame(afterNew[1], afterEdit[1]);
        Assert.Same(afterNew[2], afterEdit[2]);
        Assert.Equal("edited", afterEdit[1].Messages[0].Body);

        // Past the limit the oldest go: the first block loses a row, the last takes one; older pages come back in front.
        timeline.ShowFetched(Enumerable.Range(2 * size + 3, size).Select(i => Message(i)).ToList());
        Assert.Equal(3 * size, timeline.Messages.Count);
        Assert.Equal(timeline.Messages, timeline.Blocks.SelectMany(b => b.Messages));
        timeline.ShowOlder(Enumerable.Range(1, 5).Select(i => Message(i)).ToList());
        Assert.Equal(timeline.Messages, timeline.Blocks.SelectMany(b => b.Messages));
        Assert.Equal(0, timeline.Blocks[0].Number);
    }

    [Fact]
    public void OlderPageWhenFull_TrimsTheNewestEnd_AndTheWindowLeavesTheLiveEnd()
    {
        var timeline = new ChatTimeline(15);
        timeline.ShowNewest(Run(21, 30));
        Assert.True(timeline.AtLiveEnd);

        timeline.ShowOlder(Run(11, 20));

        Assert.Equal(Seqs(11, 25), timeline.Messages.Select(m => m.Seq));
        Assert.Equal(25, timeline.LastSeq);
        Assert.Equal(30, timeline.LatestSeq);
        Assert.True(timeline.HasOlder);
        Assert.True(timeline.HasNewer);
        Assert.False(timeline.AtLiveEnd);
        Assert.Equal(timeline.Messages, timeline.Blocks.SelectMany(b => b.Messages));
    }

    [Fact]
    public void NewerPageWhenFull_TrimsTheOldestEnd_AndReachesTheLiveEndWhenNothingFollows()
    {
        var timeline = TrimmedAtTheNewerEnd(); // 11..25 shown, up to 30 exist

        timeline.ShowNewer(new MessagePage(Run(26, 28), HasNewer: true));
        Assert.Equal(Seqs(14, 28), timeline.Messages.Select(m => m.Seq));
        Assert.True(timeline.HasNewer);

        timeline.ShowNewer(new MessagePage(Run(29, 30), HasNewer: false));
        Assert.Equal(Seqs(16, 30), timeline.Messages.Select(m => m.Seq));
        Assert.True(timeline.AtLiveEnd);
        Assert.True(timeline.HasOlder);
        Assert.Equal(30, timeline.LastSeq);
    }

    [Fact]
    public void LiveMessageAwayFromTheLiveEnd_IsNotAppended_ButMarksNewerMessages()
    {
        var timeline = TrimmedAtTheNewerEnd();
        var blocks = timeline.Blocks;

        Assert.Equal(ReceiveOutcome.BeyondWindow, timeline.Receive(Message(31)));
        Assert.Equal(ReceiveOutcome.AlreadyShown, timeline.Receive(Message(20)));
        Assert.Equal(0, timeline.ShowFetched(Run(26, 31)));

        Assert.Equal(Seqs(11, 25), timeline.Messages.Select(m => m.Seq));
        Assert.Equal(31, timeline.LatestSeq);
        Assert.True(timeline.HasNewer);
        Assert.Same(blocks, timeline.Blocks);
    }

    [Fact]
    public void BackAtTheLiveEnd_LiveMessagesAppendAgain_WithNoGapOrDuplicate()
    {
        var timeline = TrimmedAtTheNewerEnd();
        // Posted while the last newer page was being read, so not in it.
        Assert.Equal(ReceiveOutcome.BeyondWindow, timeline.Receive(Message(31)));

        timeline.ShowNewer(new MessagePage(Run(26, 30), HasNewer: false));
        Assert.True(timeline.AtLiveEnd);
        Assert.Equal(1, timeline.ShowFetched(Run(31, 31))); // the catch-up at the live end
        Assert.Equal(ReceiveOutcome.AlreadyShown, timeline.Receive(Message(31)));
        Assert.Equal(ReceiveOutcome.Appended, timeline.Receive(Message(32)));
        Assert.Equal(ReceiveOutcome.Gap, timeline.Receive(Message(34)));

        Assert.Equal(Seqs(18, 32), timeline.Messages.Select(m => m.Seq));
        Assert.Equal(32, timeline.LatestSeq);
    }

    [Fact]
    public void OpenAround_ShowsAPageEachSide_AndAtLiveEndSaysWhetherTheNewestIsAmongThem()
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest(Run(51, 100));
        var openings = timeline.Openings;

        timeline.ShowAround(new MessagePage(Run(40, 60), HasNewer: true), 50);

        Assert.Equal(Seqs(40, 60), timeline.Messages.Select(m => m.Seq));
        Assert.True(timeline.HasOlder);
        Assert.False(timeline.AtLiveEnd);
        Assert.Equal(openings + 1, timeline.Openings);
        Assert.Equal(50, timeline.OpenedAt);
        Assert.Equal(ReceiveOutcome.BeyondWindow, timeline.Receive(Message(101)));
        Assert.Equal(60, timeline.LastSeq);

        timeline.ShowAround(new MessagePage(Run(81, 101), HasNewer: false), 91);

        Assert.True(timeline.AtLiveEnd);
        Assert.Equal(ReceiveOutcome.Appended, timeline.Receive(Message(102)));
        timeline.ShowNewest(Run(93, 102));
        Assert.Null(timeline.OpenedAt);
        Assert.Equal(Seqs(93, 102), timeline.Messages.Select(m => m.Seq));
    }

    [Fact]
    public void OpenAround_WithMoreThanFits_KeepsTheSeqInTheMiddle_AndKnowsTheCutOnesExist()
    {
        var timeline = new ChatTimeline(10);

        timeline.ShowAround(new MessagePage(Run(40, 60), HasNewer: false), 50);
        Assert.Equal(Seqs(45, 54), timeline.Messages.Select(m => m.Seq));
        Assert.Equal(60, timeline.LatestSeq);
        Assert.False(timeline.AtLiveEnd);

        timeline.ShowAround(new MessagePage(Run(1, 11), HasNewer: true), 1);
        Assert.Equal(Seqs(1, 10), timeline.Messages.Select(m => m.Seq));
        Assert.False(timeline.HasOlder);
        Assert.True(timeline.HasNewer);
    }

    [Fact]
    public void PageThatNoLongerBordersTheWindow_IsNotShown()
    {
        var timeline = new ChatTimeline(15);
        timeline.ShowNewest(Run(21, 30));

        timeline.ShowOlder(Run(5, 14));
        timeline.ShowNewer(new MessagePage(Run(40, 45), HasNewer: false));

        Assert.Equal(Seqs(21, 30), timeline.Messages.Select(m => m.Seq));
        Assert.True(timeline.AtLiveEnd);
    }

    /// <summary>A window of 15 that showed 21..30, then loaded 11..20: 11..25 shown, 26..30 trimmed.</summary>
    private static ChatTimeline TrimmedAtTheNewerEnd()
    {
        var timeline = new ChatTimeline(15);
        timeline.ShowNewest(Run(21, 30));
        timeline.ShowOlder(Run(11, 20));
        return timeline;
    }

    private static List<MessageView> Run(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => Message(i)).ToList();

    private static IEnumerable<long> Seqs(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => (long)i);

    [Fact]
    public void Change_ShowsOnlyANewerVersion_FollowsInQuotes_AndReportsAGapInTheChanges()
    {
        var timeline = new ChatTimeline(10);
        var original = Message(1);
        var reply = Message(2) with { ReplyToId = original.Id, ReplyTo = new ReplyQuote(original.Id, 1, "alice", "m1", false) };
        timeline.ShowNewest([original, reply]);
        timeline.ChangesFrom(4);
        var edited = original with { Body = "edited", ChangeSeq = 5 };
        var quote = new ReplyQuote(original.Id, 1, "alice", "edited", false, 5);

        Assert.Equal((true, false), timeline.Change(edited, quote));
        Assert.Equal("edited", timeline.Messages[0].Body);
        Assert.Equal(quote, timeline.Messages[1].ReplyTo);
        Assert.Equal(5, timeline.ChangeSeq);

        // An older version (a late event, or one a catch-up already brought) changes nothing.
        Assert.Equal((false, false), timeline.Change(original with { ChangeSeq = 3 }, new ReplyQuote(original.Id, 1, "alice", "m1", false, 3)));
        Assert.Equal("edited", timeline.Messages[0].Body);

        // Change 6 was not seen: 7 is shown, and the page must catch up; the known number stays until it does.
        Assert.Equal((true, true), timeline.Change(edited with { Deleted = true, Body = "", ChangeSeq = 7 }, quote with { Gone = true, ChangeSeq = 7 }));
        Assert.Equal(5, timeline.ChangeSeq);
        Assert.True(timeline.Messages[1].ReplyTo!.Gone);
    }

    private static MessageView Message(long seq) => new(seq, 1, seq, "u", "alice", $"m{seq}", DateTime.UtcNow, null, false);
}
