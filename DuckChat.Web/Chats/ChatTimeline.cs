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
    private readonly List<MessageView> _messages = [];

    public IReadOnlyList<MessageView> Messages => _messages;

    /// <summary>The highest Seq shown (0 before the first message).</summary>
    public long LastSeq { get; private set; }

    /// <summary>Whether older messages exist before the first one shown.</summary>
    public bool HasOlder => _messages.Count > 0 && _messages[0].Seq > 1;

    public void ShowNewest(IReadOnlyList<MessageView> page)
    {
        _messages.Clear();
        _messages.AddRange(page);
        LastSeq = page.Count > 0 ? page[^1].Seq : 0;
    }

    /// <summary>Adds an older page in front of what is shown (messages already shown are skipped).</summary>
    public void ShowOlder(IReadOnlyList<MessageView> page)
    {
        var firstShown = _messages.Count > 0 ? _messages[0].Seq : long.MaxValue;
        _messages.InsertRange(0, page.Where(m => m.Seq < firstShown));
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
}
