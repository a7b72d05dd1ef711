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

    private static readonly char[] ZeroWidth = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];

    /// <summary>
    /// What an index query looks for to find a wanted <paramref name="term"/> (all of them must be there), or nothing
    /// when the index cannot find it. Zero-width characters split it: a message may hold them where the query does not,
    /// or the other way round, and the recheck ignores them; a term that is nothing but short pieces (an emoji joined
    /// by zero-width joiners) is looked for whole.
    /// </summary>
    public static IReadOnlyList<string> IndexedForms(string term)
    {
        var pieces = term.Split(ZeroWidth, StringSplitOptions.RemoveEmptyEntries).Select(IndexedForm).OfType<string>().ToList();
        return pieces.Count > 0 ? pieces : IndexedForm(term) is { } whole ? [whole] : [];
    }

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
