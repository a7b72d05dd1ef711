namespace DuckChat.Web.Search;

/// <summary>
/// The names of the search index's parts, as the <c>Search</c> migrations create them. SQLite: the FTS5 table
/// <see cref="FtsTable"/> over Messages.SearchText (external content: it stores only the index). New messages enter it in batches (<see cref="SearchIndexer"/>); <see cref="StateTable"/> says through
/// which message Id it is complete, and two triggers keep the rows at or below that in step with their changes and
/// deletes. SQL Server: the side table <see cref="TrigramTable"/> (each distinct three-character run of SearchText,
/// lower-cased, with its message id), kept in step by one trigger; a query intersects trigrams, then rechecks with LIKE.
/// </summary>
public static class SearchIndex
{
    public const string FtsTable = "MessageSearch";
    public const string StateTable = "SearchIndexState";
    public const string TrigramTable = "MessageTrigrams";

    /// <summary>SearchText and the trigrams compare ignoring case and accents, as SQLite's trigram tokenizer does.</summary>
    public const string SqlServerCollation = "Latin1_General_100_CI_AI";

    public const string SqliteUpdateTrigger = "Messages_SearchUpdated";
    public const string SqliteDeleteTrigger = "Messages_SearchDeleted";
    public const string SqlServerTrigger = "Messages_SearchTrigrams";

    /// <summary>The triggers the index adds to Messages for the provider named (EF's provider name).</summary>
    public static IReadOnlyList<string> Triggers(string? providerName) =>
        providerName == "Microsoft.EntityFrameworkCore.SqlServer"
            ? [SqlServerTrigger]
            : [SqliteUpdateTrigger, SqliteDeleteTrigger];
}
