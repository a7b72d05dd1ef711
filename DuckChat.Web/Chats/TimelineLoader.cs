namespace DuckChat.Web.Chats;

/// <summary>
/// Fills an open chat page's <see cref="ChatTimeline"/> from <see cref="ChatService"/>: opens it at the newest page or
/// around a message, loads the next page past either end when the reader gets there, and catches up at the live end.
/// One page load runs at a time, so a script pressing "Load older" costs a query per page shown, not one per press;
/// a page that arrives after the window was filled afresh (another chat, a jump) is dropped, since it no longer
/// borders what is shown.
/// </summary>
/// <param name="shown">Called after a catch-up showed messages, so the page renders them.</param>
public sealed class TimelineLoader(ChatService chats, int maxShown, Action shown)
{
    private int _chatId;
    private bool _paging;
    private bool _catchingUp;
    private bool _catchUpAgain;

    public ChatTimeline Timeline { get; } = new(maxShown);

    /// <summary>
    /// Shows chat <paramref name="chatId"/> around the message <paramref name="at"/>, or its newest page when
    /// <paramref name="at"/> is null or not a message there (or the chat is not mine); true when it opened around it.
    /// </summary>
    public async Task<bool> OpenAsync(int chatId, long? at)
    {
        _chatId = chatId;
        if (at is { } seq && await chats.GetAroundAsync(chatId, seq) is { } around)
        {
            Timeline.ShowAround(around, seq);
            return true;
        }

        Timeline.ShowNewest(await chats.GetHistoryAsync(chatId));
        return false;
    }

    /// <summary>Shows the page before the first message shown; when the window is full, its newest rows go.</summary>
    public Task LoadOlderAsync() => Timeline.HasOlder
        ? PageAsync((chatId, firstSeq) => chats.GetHistoryAsync(chatId, firstSeq), Timeline.Messages[0].Seq, Timeline.ShowOlder)
        : Task.CompletedTask;

    /// <summary>Shows the page after the last message shown; when the window is full, its oldest rows go.</summary>
    public async Task LoadNewerAsync()
    {
        if (Timeline.HasNewer)
        {
            await PageAsync(chats.GetNewerAsync, Timeline.LastSeq, Timeline.ShowNewer);
            // Back at the live end: what was posted while the page was read comes now, and from here on live.
            await CatchUpAsync();
        }
    }

    /// <summary>
    /// At the live end, fetches from the database every message after the last one shown (after a gap, a reconnect,
    /// when the tab shows again, or when events may have been missed). Away from it there is nothing to fetch: the
    /// newer end loads when the reader gets there.
    /// </summary>
    public async Task CatchUpAsync()
    {
        if (_catchingUp)
        {
            _catchUpAgain = true;
            return;
        }

        _catchingUp = true;
        try
        {
            int added;
            do
            {
                _catchUpAgain = false;
                if (!Timeline.AtLiveEnd)
                {
                    break;
                }

                var openings = Timeline.Openings;
                var fetched = await chats.GetMessagesAfterAsync(_chatId, Timeline.LastSeq);
                added = openings == Timeline.Openings ? Timeline.ShowFetched(fetched) : 0;
                if (added > 0)
                {
                    shown();
                }
            }
            while (_catchUpAgain || added > 0);
        }
        finally
        {
            _catchingUp = false;
        }
    }

    private async Task PageAsync<T>(Func<int, long, Task<T>> read, long from, Action<T> show)
    {
        if (_paging)
        {
            return;
        }

        _paging = true;
        try
        {
            var openings = Timeline.Openings;
            var page = await read(_chatId, from);
            if (openings == Timeline.Openings)
            {
                show(page);
            }
        }
        finally
        {
            _paging = false;
        }
    }
}
