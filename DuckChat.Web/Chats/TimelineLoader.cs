using DuckChat.Web.Diagnostics;

namespace DuckChat.Web.Chats;

/// <summary>
/// Fills an open chat page's <see cref="ChatTimeline"/> from <see cref="ChatService"/>: opens it at the newest page or
/// around a message, loads the next page past either end when the reader gets there, and catches up at the live end.
/// One page load runs at a time, so a script pressing "Load older" costs a query per page shown, not one per press;
/// a page that arrives after the window was filled afresh (another chat, a jump) is dropped, since it no longer
/// borders what is shown.
/// </summary>
/// <param name="shown">Called after a catch-up showed messages, so the page renders them.</param>
public sealed class TimelineLoader(ChatService chats, Formatting.MessageFormatter formatter, Diagnostics.DuckChatMetrics metrics, int maxShown, Action shown)
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
    /// <param name="changesKnownUpTo">The chat's change number read before its messages (<see cref="ChatHeader.LastChangeSeq"/>).</param>
    public async Task<bool> OpenAsync(int chatId, long? at, long changesKnownUpTo)
    {
        _chatId = chatId;
        Timeline.ChangesFrom(changesKnownUpTo);
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

    /// <summary>A message changed (live): shown in its row and in the quotes of it; after a gap in the changes, catches up.</summary>
    public async Task<bool> ChangedAsync(MessageView message)
    {
        var (changed, gap) = Timeline.Change(message, ReplyQuote.Of(message, formatter));
        if (gap)
        {
            await CatchUpAsync();
        }

        return changed;
    }

    /// <summary>
    /// Fetches from the database what this page missed (after a gap, a reconnect, when the tab shows again, or when
    /// events may have been missed): every change to the chat's messages after the last one seen, and at the live end
    /// every message after the last one shown. Away from the live end there are no messages to fetch: the newer end
    /// loads when the reader gets there.
    /// </summary>
    public async Task CatchUpAsync()
    {
        if (_catchingUp)
        {
            _catchUpAgain = true;
            return;
        }

        _catchingUp = true;
        metrics.CatchUps.Add(1);
        try
        {
            int added;
            do
            {
                _catchUpAgain = false;
                added = 0;
                if (Timeline.AtLiveEnd)
                {
                    var openings = Timeline.Openings;
                    var fetched = await chats.GetMessagesAfterAsync(_chatId, Timeline.LastSeq);
                    added = openings == Timeline.Openings ? Timeline.ShowFetched(fetched) : 0;
                }

                if (await CatchUpChangesAsync() || added > 0)
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

    /// <summary>Applies every change after <see cref="ChatTimeline.ChangeSeq"/>, a few pages at a time; whether any showed.</summary>
    private async Task<bool> CatchUpChangesAsync()
    {
        var chatId = _chatId;
        var any = false;
        while (await chats.GetChangesAfterAsync(chatId, Timeline.ChangeSeq) is { Count: > 0 } changes && chatId == _chatId)
        {
            foreach (var message in changes)
            {
                any |= Timeline.Change(message, ReplyQuote.Of(message, formatter)).Shown;
            }

            // In change order and complete up to the last: numbers between are changes overtaken by a later one.
            Timeline.ChangesKnownUpTo(changes[^1].ChangeSeq);
        }

        return any;
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
