using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

/// <summary>Message search (<c>DuckChat:Search</c>). A search counts against the person's change budget (DuckChat:Chat:WriteBurst, WritePerSecond).</summary>
public sealed class SearchOptions
{
    /// <summary>Longest search text, in UTF-16 code units: longer text is refused before it reaches the database.</summary>
    [Range(10, 2000, ErrorMessage = "must be between 10 and 2000 characters.")]
    public int MaxQueryLength { get; set; } = 200;

    [Range(5, 200, ErrorMessage = "must be between 5 and 200 results.")]
    public int PageSize { get; set; } = 20;

    /// <summary>
    /// Most results one search page shows, however often More results is asked for: what a page shows stays in the
    /// server's memory while it is open. Past it, the page says to narrow the search.
    /// </summary>
    [Range(20, 5000, ErrorMessage = "must be between 20 and 5000 results.")]
    public int MaxShownResults { get; set; } = 500;

    /// <summary>How long one page of a search may take before it stops and says so.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "must be between 00:00:00.100 and 00:05:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A word shorter than the index can find (under 3 characters, except 2-character CJK words) is looked for only in
    /// this many of the person's newest messages, and the results say so.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "must be between 100 and 1000000 messages.")]
    public int RecentScanLimit { get; set; } = 5000;

    /// <summary>
    /// How often new messages are added to the search index (SQLite), in one batch. Search finds the ones not added yet
    /// by reading them directly, so this trades a little search work for less work in every send.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan IndexInterval { get; set; } = TimeSpan.FromSeconds(1);
}
