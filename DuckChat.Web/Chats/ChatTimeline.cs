namespace DuckChat.Web.Chats;

public enum ReceiveOutcome
{
    Appended,
    AlreadyShown,
    Gap,

    /// <summary>Newer than the window's newer end, which is not the live end: not shown (that would leave a hole), only remembered as existing.</summary>
    BeyondWindow,
}

/// <summary>
/// The window of one chat that an open page shows: a run of its messages in Seq order, each once, never more than
/// <paramref name="maxShown"/> (the server holds every shown row in memory, so no way of paging may grow it without
/// bound). Growing one end trims the other: an older page drops the newest rows, a newer page or a live message the
/// oldest; a trimmed end comes back a page at a time when it is scrolled to again.
/// <para>It knows the highest Seq shown (<see cref="LastSeq"/>) apart from the highest known to exist
/// (<see cref="LatestSeq"/>). While they are equal the window is at the live end: the next live message is appended,
/// and one that skips ahead is a gap to fetch from the database rather than shown out of order. Otherwise a live
/// message is only remembered, and the newer end is loaded when the reader gets there.</para>
/// </summary>
public sealed class ChatTimeline(int maxShown)
{
    /// <summary>How many Seqs one <see cref="TimelineBlock"/> spans.</summary>
    public const int BlockSize = 16;

    private readonly List<MessageView> _messages = [];
    private List<TimelineBlock> _blocks = [];
    private bool _regroup;

    public IReadOnlyList<MessageView> Messages => _messages;

    /// <summary>
    /// The shown messages in blocks of <see cref="BlockSize"/> Seqs. A block that holds the same messages as before a
    /// change is the same object, so the page renders only the blocks a change touched: a new message costs one
    /// block of rows instead of every row shown (up to 200, each asked whether it changed, for every tab, per message).
    /// </summary>
    public IReadOnlyList<TimelineBlock> Blocks
    {
        get
        {
            if (_regroup)
            {
                _blocks = Regroup();
                _regroup = false;
            }

            return _blocks;
        }
    }

    /// <summary>The highest Seq shown (0 before the first message).</summary>
    public long LastSeq { get; private set; }

    /// <summary>The highest Seq known to exist: <see cref="LastSeq"/>, or more once the newer end is trimmed or a live message arrived past it.</summary>
    public long LatestSeq { get; private set; }

    /// <summary>Whether older messages exist before the first one shown.</summary>
    public bool HasOlder => _messages.Count > 0 && _messages[0].Seq > 1;

    /// <summary>Whether newer messages exist after the last one shown, so the window is not at the live end.</summary>
    public bool HasNewer => LatestSeq > LastSeq;

    /// <summary>Whether the newest message (as far as this page knows) is shown, so live messages are appended.</summary>
    public bool AtLiveEnd => !HasNewer;

    /// <summary>
    /// Counts the times the window was filled afresh (<see cref="ShowNewest"/>, <see cref="ShowAround"/>), so that the
    /// page places its view again (at the end, or at the message opened around) instead of keeping the reader's place.
    /// </summary>
    public int Openings { get; private set; }

    /// <summary>The message the window was opened around (<see cref="ShowAround"/>) until it is filled afresh; the page highlights it.</summary>
    public long? OpenedAt { get; private set; }

    /// <summary>Shows the newest page: the window is at the live end.</summary>
    public void ShowNewest(IReadOnlyList<MessageView> page)
    {
        Fill(page);
        LatestSeq = LastSeq;
        OpenedAt = null;
    }

    /// <summary>
    /// Shows a page before and a page after <paramref name="seq"/> (<see cref="ChatService.GetAroundAsync"/>). If they
    /// hold more than fits, both ends are cut alike so that <paramref name="seq"/> stays in the middle.
    /// </summary>
    public void ShowAround(MessagePage around, long seq)
    {
        var messages = around.Messages;
        if (messages.Count > maxShown)
        {
            var at = messages.TakeWhile(m => m.Seq < seq).Count();
            var start = Math.Clamp(at - maxShown / 2, 0, messages.Count - maxShown);
            messages = messages.Skip(start).Take(maxShown).ToList();
        }

        Fill(messages);
        LatestSeq = around.Messages.Count == 0 ? 0 : around.Messages[^1].Seq + (around.HasNewer ? 1 : 0);
        OpenedAt = seq;
    }

    /// <summary>Adds an older page in front of what is shown, skipping what is shown; past the limit the newest rows go.</summary>
    public void ShowOlder(IReadOnlyList<MessageView> page)
    {
        var firstShown = _messages.Count > 0 ? _messages[0].Seq : long.MaxValue;
        var older = page.Where(m => m.Seq < firstShown).ToList();
        // A page asked for before a change to the window may no longer end where the window starts: a hole, so not shown.
        if (older.Count == 0 || (_messages.Count > 0 && older[^1].Seq != firstShown - 1))
        {
            return;
        }

        _messages.InsertRange(0, older);
        if (_messages.Count > maxShown)
        {
            _messages.RemoveRange(maxShown, _messages.Count - maxShown);
            LastSeq = _messages[^1].Seq;
        }

        _regroup = true;
    }

    /// <summary>
    /// Appends a page read after <see cref="LastSeq"/> (<see cref="ChatService.GetNewerAsync"/>); past the limit the
    /// oldest rows go. A page with nothing newer after it brings the window to the live end: whatever was posted since
    /// it was read comes live, or from a catch-up.
    /// </summary>
    public void ShowNewer(MessagePage page)
    {
        foreach (var message in page.Messages)
        {
            if (message.Seq == LastSeq + 1)
            {
                Append(message);
            }
        }

        if (!page.HasNewer && (page.Messages.Count == 0 || page.Messages[^1].Seq == LastSeq))
        {
            LatestSeq = LastSeq;
        }
    }

    /// <summary>
    /// Keeps only the newest <paramref name="count"/> rows (a hidden tab holds one page); whether any went. The older
    /// ones load again when scrolled to, as after any trim.
    /// </summary>
    public bool TrimToNewest(int count)
    {
        if (_messages.Count <= count)
        {
            return false;
        }

        _messages.RemoveRange(0, _messages.Count - count);
        _regroup = true;
        return true;
    }

    /// <summary>A message that arrived live: shown if it is the next one at the live end, ignored if already shown, else a gap or beyond the window.</summary>
    public ReceiveOutcome Receive(MessageView message)
    {
        if (message.Seq <= LastSeq)
        {
            return ReceiveOutcome.AlreadyShown;
        }

        if (HasNewer)
        {
            LatestSeq = Math.Max(LatestSeq, message.Seq);
            return ReceiveOutcome.BeyondWindow;
        }

        if (message.Seq != LastSeq + 1)
        {
            return ReceiveOutcome.Gap;
        }

        Append(message);
        return ReceiveOutcome.Appended;
    }

    /// <summary>
    /// The highest change number (<see cref="MessageView.ChangeSeq"/>) up to which this page has every change of its
    /// chat: set from the header when the chat opens (read before its messages), moved by each change in order.
    /// </summary>
    public long ChangeSeq { get; private set; }

    /// <summary>The window is filled from messages read after the chat's change number was <paramref name="changeSeq"/>.</summary>
    public void ChangesFrom(long changeSeq) => ChangeSeq = changeSeq;

    public void ChangesKnownUpTo(long changeSeq) => ChangeSeq = Math.Max(ChangeSeq, changeSeq);

    /// <summary>
    /// A message changed (an edit, a delete, a removal, a reaction): its row shows the newer version if it is shown,
    /// and every reply shown that quotes it gets <paramref name="quote"/>. Whether anything shown changed, and whether
    /// the change skipped past one this page has not seen (a gap: catch up).
    /// </summary>
    public (bool Shown, bool Gap) Change(MessageView message, ReplyQuote quote)
    {
        var gap = message.ChangeSeq > ChangeSeq + 1;
        if (!gap)
        {
            ChangesKnownUpTo(message.ChangeSeq);
        }

        var shown = false;
        for (var i = 0; i < _messages.Count; i++)
        {
            var row = _messages[i];
            if (row.Id == message.Id && row.ChangeSeq < message.ChangeSeq)
            {
                _messages[i] = message;
                shown = true;
            }
            else if (row.ReplyToId == message.Id && !row.Deleted && (row.ReplyTo is null || row.ReplyTo.ChangeSeq < quote.ChangeSeq))
            {
                _messages[i] = row with { ReplyTo = quote };
                shown = true;
            }
        }

        _regroup |= shown;
        return (shown, gap);
    }

    /// <summary>Appends what the database returned after <see cref="LastSeq"/>, in order, skipping anything already shown.</summary>
    public int ShowFetched(IReadOnlyList<MessageView> fetched)
    {
        var added = 0;
        foreach (var message in fetched)
        {
            if (Receive(message) == ReceiveOutcome.Appended)
            {
                added++;
            }
        }

        return added;
    }

    private void Fill(IReadOnlyList<MessageView> messages)
    {
        _messages.Clear();
        _messages.AddRange(messages);
        LastSeq = messages.Count > 0 ? messages[^1].Seq : 0;
        Openings++;
        _regroup = true;
    }

    private void Append(MessageView message)
    {
        _messages.Add(message);
        LastSeq = message.Seq;
        LatestSeq = Math.Max(LatestSeq, LastSeq);
        if (_messages.Count > maxShown)
        {
            _messages.RemoveRange(0, _messages.Count - maxShown);
        }

        _regroup = true;
    }

    private List<TimelineBlock> Regroup()
    {
        // Both lists are in Seq order: walk them together, keeping every block whose messages are the same objects.
        var regrouped = new List<TimelineBlock>(_blocks.Count + 1);
        var old = 0;
        for (var start = 0; start < _messages.Count;)
        {
            var number = (_messages[start].Seq - 1) / BlockSize;
            var end = start + 1;
            while (end < _messages.Count && (_messages[end].Seq - 1) / BlockSize == number)
            {
                end++;
            }

            while (old < _blocks.Count && _blocks[old].Number < number)
            {
                old++;
            }

            regrouped.Add(old < _blocks.Count && _blocks[old].Number == number && _blocks[old].Holds(_messages, start, end)
                ? _blocks[old]
                : new TimelineBlock(number, _messages[start..end]));
            start = end;
        }

        return regrouped;
    }
}

/// <summary>The shown messages whose Seqs fall in one run of <see cref="ChatTimeline.BlockSize"/>; never changed, only replaced.</summary>
public sealed class TimelineBlock(long number, List<MessageView> messages)
{
    /// <summary>Which run of Seqs: (Seq - 1) / <see cref="ChatTimeline.BlockSize"/>.</summary>
    public long Number => number;

    public IReadOnlyList<MessageView> Messages => messages;

    /// <summary>Whether the message <paramref name="seq"/>, if shown, is in this block.</summary>
    public bool Spans(long seq) => (seq - 1) / ChatTimeline.BlockSize == number;

    /// <summary>Whether this block holds exactly <paramref name="all"/>[<paramref name="start"/>..<paramref name="end"/>], the same objects.</summary>
    public bool Holds(List<MessageView> all, int start, int end)
    {
        if (messages.Count != end - start)
        {
            return false;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (!ReferenceEquals(messages[i], all[start + i]))
            {
                return false;
            }
        }

        return true;
    }
}
