namespace DuckChat.Web.Search;

/// <summary>
/// What the database is asked for one batch of a search, whatever the engine: the person's chats (read in the same
/// snapshot, so only chats they are a member of now), the words the index can find, and the operators. Everything the
/// index cannot decide exactly is checked again on the message's text.
/// </summary>
public sealed record SearchPlan(
    string Me,
    IReadOnlyList<int> ChatIds,
    IReadOnlyList<string> Indexed,
    IReadOnlyList<string> ExcludedIndexed,
    IReadOnlyList<string> From,
    bool HasLink,
    bool HasFile,
    DateTime? SentBefore,
    DateTime? SentFrom,
    bool IsMention)
{
    /// <summary>No word the index can find: the plan scans messages newest first instead.</summary>
    public bool Scans => Indexed.Count == 0;

    /// <summary>
    /// The text an index query looks for to find <paramref name="term"/>, or null when the index cannot: three
    /// characters or more as they are, a two-character CJK word as its bigram (with the mark the index writes after
    /// each), anything shorter not at all.
    /// </summary>
    public static string? IndexedForm(string term)
    {
        if (term.EnumerateRunes().Count() >= 3)
        {
            return term;
        }

        return term.Length == 2 && SearchText.IsCjk(term[0]) && SearchText.IsCjk(term[1]) ? term + SearchText.BigramMark : null;
    }
}
