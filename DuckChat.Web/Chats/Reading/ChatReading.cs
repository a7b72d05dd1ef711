namespace DuckChat.Web.Chats.Reading;

/// <summary>
/// One open chat page's reading rules. The read position moves only while the reader looks (the tab visible and
/// focused), only up to what the page shows, and not at all once they marked a message unread on this page (it stays
/// unread until the chat is opened again). Plain state, changed on the circuit's dispatcher by the page.
/// </summary>
public sealed class ChatReading
{
    private bool _keptUnread;
    private long _readSeq;

    /// <summary>The tab is visible and focused.</summary>
    public bool Attentive { get; private set; }

    /// <summary>The tab is visible (a hidden tab shows nothing new until it is visible again).</summary>
    public bool Visible { get; private set; } = true;

    public bool IsReading => Attentive && !_keptUnread;

    /// <summary>The chat was opened with the read position the server has.</summary>
    public void Open(long savedReadSeq)
    {
        _readSeq = savedReadSeq;
        _keptUnread = false;
    }

    /// <summary>The tab's attention changed; whether it just became visible (so it fetches what it missed).</summary>
    public bool AttentionChanged(bool attentive, bool visible)
    {
        var shown = visible && !Visible;
        (Attentive, Visible) = (attentive, visible);
        return shown;
    }

    /// <summary>The page shows messages up to <paramref name="lastShownSeq"/>: the position to save, if it moves.</summary>
    public long? Shown(long lastShownSeq)
    {
        if (!IsReading || lastShownSeq <= _readSeq)
        {
            return null;
        }

        _readSeq = lastShownSeq;
        return _readSeq;
    }

    /// <summary>The reader marked the message <paramref name="seq"/> unread here.</summary>
    public void MarkedUnread(long seq)
    {
        _keptUnread = true;
        _readSeq = seq - 1;
    }
}
