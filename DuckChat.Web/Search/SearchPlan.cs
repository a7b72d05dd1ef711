using System.Text;

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
        var visible = Visible(term);
        if (visible.EnumerateRunes().Count() >= 3)
        {
            return visible;
        }

        return visible.Length == 2 && SearchText.IsCjk(visible[0]) && SearchText.IsCjk(visible[1]) ? visible + SearchText.BigramMark : null;
    }

    /// <summary>The term without zero-width characters, which the index does not hold either.</summary>
    private static string Visible(string term)
    {
        var text = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not ('\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
