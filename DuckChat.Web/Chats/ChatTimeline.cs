namespace DuckChat.Web.Chats;

public enum ReceiveOutcome { Appended, AlreadyShown, Gap }

/// <summary>
/// The messages one open chat page shows, in Seq order, each once. It remembers the highest Seq shown, so a
/// live event that skips ahead is recognised as a gap to fetch from the database rather than shown out of order.
/// A page left open in a busy chat keeps only the newest <paramref name="maxShown"/> as new ones arrive (the
/// server holds every shown row in memory); the dropped ones come back with "Load older messages".
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

    /// <summary>Whether older messages exist before the first one shown.</summary>
    public bool HasOlder => _messages.Count > 0 && _messages[0].Seq > 1;

    public void ShowNewest(IReadOnlyList<MessageView> page)
    {
        _messages.Clear();
        _messages.AddRange(page);
        LastSeq = page.Count > 0 ? page[^1].Seq : 0;
        _regroup = true;
    }

    /// <summary>Adds an older page in front of what is shown (messages already shown are skipped).</summary>
    public void ShowOlder(IReadOnlyList<MessageView> page)
    {
        var firstShown = _messages.Count > 0 ? _messages[0].Seq : long.MaxValue;
        _messages.InsertRange(0, page.Where(m => m.Seq < firstShown));
        _regroup = true;
    }

    /// <summary>A message that arrived live: shown if it is the next one, ignored if already shown, else a gap.</summary>
    public ReceiveOutcome Receive(MessageView message)
    {
        if (message.Seq <= LastSeq)
        {
            return ReceiveOutcome.AlreadyShown;
        }

        if (message.Seq != LastSeq + 1)
        {
            return ReceiveOutcome.Gap;
        }

        _messages.Add(message);
        LastSeq = message.Seq;
        if (_messages.Count > maxShown)
        {
            _messages.RemoveRange(0, _messages.Count - maxShown);
        }

        _regroup = true;
        return ReceiveOutcome.Appended;
    }

    /// <summary>Puts an edited or deleted version of a shown message in its place; false if it is not shown.</summary>
    public bool Replace(MessageView message)
    {
        var index = _messages.FindIndex(m => m.Seq == message.Seq);
        if (index < 0)
        {
            return false;
        }

        _messages[index] = message;
        _regroup = true;
        return true;
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
