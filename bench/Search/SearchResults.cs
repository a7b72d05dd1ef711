namespace DuckChat.Bench.Search;

/// <summary>One run of the search benchmark: the seeded data, what seeding took, and each index layout measured.</summary>
public sealed record SearchRun(
    string Size,
    string SqliteVersion,
    int Messages,
    int Chats,
    int People,
    int MembersPerChat,
    IReadOnlyDictionary<string, int> Mix,
    double SeedSeconds,
    int Runs,
    int WarmupRuns,
    IReadOnlyDictionary<string, string?> Settings,
    IReadOnlyList<SearchLayout> Layouts);

/// <summary>
/// One index layout (<c>detail=full</c> or <c>none</c>): its rebuild over every message, its size, latency per query
/// class and person, the timing channel, and whether first pages were the same as with the first layout.
/// </summary>
public sealed record SearchLayout(
    string Detail,
    double IndexSeconds,
    SearchSizes Sizes,
    IReadOnlyList<SearchLatency> Latency,
    IReadOnlyList<ChannelResult> Channel,
    int PagesCompared,
    IReadOnlyList<string> PagesDiffering);

/// <summary>
/// Bytes: from SQLite's dbstat table when the build has it (null otherwise): the Messages table, its indexes, the FTS5
/// shadow tables (and each); always: what the index's rebuild added to the pages in use, the text of Body and of
/// SearchText, and all pages in use.
/// </summary>
public sealed record SearchSizes(
    long? MessagesTable,
    long? MessagesIndexes,
    long? Index,
    IReadOnlyDictionary<string, long> IndexParts,
    long IndexByPages,
    long BodyText,
    long SearchText,
    long Database);

public sealed record SearchLatency(
    string Layout,
    string Way,
    string Person,
    int PersonChats,
    string Class,
    IReadOnlyList<string> Queries,
    int Runs,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double MeanHits,
    IReadOnlyDictionary<string, int> Outcomes,
    int Errors,
    string? FirstError,
    bool RecentOnly,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyDictionary<string, long[]> FirstPages);

public sealed record ChannelResult(string Term, string Where, int Occurrences, int Runs, double P50Ms, double P99Ms, int Hits);
