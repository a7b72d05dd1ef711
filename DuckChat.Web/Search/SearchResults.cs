using DuckChat.Web.Data;

namespace DuckChat.Web.Search;

public enum SearchOutcome
{
    /// <summary>The search ran; no hits means nothing matched.</summary>
    Found,

    /// <summary>Nothing to search for: no word and no operator.</summary>
    Empty,
    TooLong,
    RateLimited,
    TimedOut,

    /// <summary>A newer search of the same page replaced this one.</summary>
    Cancelled,
}

/// <summary>
/// One page of hits, newest first; <paramref name="Next"/> asks for the next page. <paramref name="RecentOnly"/>: a word
/// was too short for the index, so only the newest messages of my chats were searched. <paramref name="StillIndexing"/>:
/// messages saved before search existed were still being given their search text, so some of them may be missing.
/// </summary>
public sealed record SearchResults(
    SearchOutcome Outcome, SearchQuery Query, IReadOnlyList<SearchHit> Hits, SearchCursor? Next, bool RecentOnly, bool StillIndexing = false)
{
    public static SearchResults Not(SearchOutcome outcome, SearchQuery query) => new(outcome, query, [], null, false);

    /// <summary>
    /// These results with the next page, <paramref name="more"/>, below them; at most <paramref name="max"/> hits, and
    /// none offered after those (a page holds what it shows for as long as it is open). A next page that failed keeps
    /// what is shown and says why, so it can be asked for again.
    /// </summary>
    public SearchResults Followed(SearchResults more, int max) => more.Outcome switch
    {
        SearchOutcome.Found when Hits.Count + more.Hits.Count >= max =>
            more with { Hits = [.. Hits, .. more.Hits.Take(max - Hits.Count)], Next = null, Capped = true },
        SearchOutcome.Found => more with { Hits = [.. Hits, .. more.Hits] },
        SearchOutcome.Cancelled => this,
        _ => this with { Outcome = more.Outcome },
    };

    /// <summary>More hits were there than a page shows in all (<see cref="Followed"/>): narrowing the search finds older ones.</summary>
    public bool Capped { get; init; }
}

/// <summary>A message found: <paramref name="Text"/> is its plain text, <paramref name="Matches"/> the spans of it that matched.</summary>
public sealed record SearchHit(
    long MessageId, int ChatId, string ChatName, ChatKind ChatKind, long Seq, string? SenderName, DateTime SentAt, string Text, IReadOnlyList<TextRange> Matches);

public readonly record struct TextRange(int Start, int Length);

/// <summary>Where a page ended: the next page holds older messages than this one.</summary>
public sealed record SearchCursor(DateTime SentAt, long MessageId);
