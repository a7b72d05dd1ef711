using System.Globalization;

namespace DuckChat.Web.Search;

/// <summary>
/// Where words and phrases occur in a text, ignoring case, accents, letter width and characters that are invisible
/// to comparison (zero-width ones): the rule a message must pass after the index found it, and the spans a page marks.
/// </summary>
public static class TextMatches
{
    private const CompareOptions Loose =
        CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreKanaType | CompareOptions.IgnoreWidth;

    private static readonly CompareInfo Compare = CultureInfo.InvariantCulture.CompareInfo;

    public static bool Contains(string text, string term) => Compare.IndexOf(text, term, Loose) >= 0;

    /// <summary>Whether two names are the same one, as a person would type it (<c>in:team alpha</c> for "Team Alpha").</summary>
    public static bool SameName(string name, string typed) => Compare.Compare(name.Trim(), typed.Trim(), Loose) == 0;

    /// <summary>Whether <paramref name="text"/> holds every wanted term and none of the excluded ones.</summary>
    public static bool Satisfies(string text, IEnumerable<SearchTerm> terms) =>
        terms.All(term => Contains(text, term.Text) != term.Excluded);

    /// <summary>Every occurrence of every wanted term, in order, overlaps merged.</summary>
    public static IReadOnlyList<TextRange> Find(string text, IEnumerable<SearchTerm> terms)
    {
        var found = new List<TextRange>();
        foreach (var term in terms.Where(t => !t.Excluded))
        {
            for (var from = 0; from < text.Length;)
            {
                var at = Compare.IndexOf(text.AsSpan(from), term.Text, Loose, out var length);
                if (at < 0 || length == 0)
                {
                    break;
                }

                found.Add(new TextRange(from + at, length));
                from += at + length;
            }
        }

        var merged = new List<TextRange>();
        foreach (var range in found.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].Start + merged[^1].Length)
            {
                var last = merged[^1];
                merged[^1] = last with { Length = Math.Max(last.Length, range.Start + range.Length - last.Start) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
