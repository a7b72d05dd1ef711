using System.Globalization;
using DuckChat.Web.Accounts;

namespace DuckChat.Web.Search;

public enum SearchOperator { From, In, HasLink, HasFile, Before, After, IsMention }

/// <summary>A word or quoted phrase to find in a message's text; an excluded one (<c>-word</c>) must not be there.</summary>
public sealed record SearchTerm(string Text, bool Phrase, bool Excluded);

/// <summary>An operator as the person typed it, for the page to show as a chip.</summary>
public sealed record SearchChip(SearchOperator Kind, string Value);

/// <summary>
/// What a search box's text asks for. Words (and quoted phrases) must all be in a message, in any order; <c>-word</c>
/// must not be. Operators narrow it: <c>from:user</c>, <c>in:chat</c> (a group's name or the other person's in a direct
/// chat; quote a name with spaces), <c>has:link</c>, <c>has:file</c>, <c>before:yyyy-mm-dd</c>, <c>after:yyyy-mm-dd</c>
/// (days in the person's time zone, the day itself excluded) and <c>is:mention</c>. Anything else with a colon is text.
/// </summary>
public sealed record SearchQuery(
    IReadOnlyList<SearchTerm> Terms,
    IReadOnlyList<string> From,
    IReadOnlyList<string> In,
    bool HasLink,
    bool HasFile,
    DateOnly? Before,
    DateOnly? After,
    bool IsMention,
    IReadOnlyList<SearchChip> Chips)
{
    /// <summary>Nothing to search for: no word to find and no operator to narrow by (excluded words alone would list everything).</summary>
    public bool IsEmpty => !Terms.Any(t => !t.Excluded) && Chips.Count == 0;

    public static SearchQuery Parse(string text)
    {
        var terms = new List<SearchTerm>();
        var from = new List<string>();
        var chats = new List<string>();
        var chips = new List<SearchChip>();
        bool hasLink = false, hasFile = false, isMention = false;
        DateOnly? before = null, after = null;

        for (var at = 0; at < text.Length;)
        {
            if (char.IsWhiteSpace(text[at]))
            {
                at++;
                continue;
            }

            var excluded = text[at] == '-' && at + 1 < text.Length && !char.IsWhiteSpace(text[at + 1]);
            if (excluded)
            {
                at++;
            }

            if (text[at] == '"')
            {
                var phrase = Quoted(text, ref at);
                if (phrase.Trim().Length > 0)
                {
                    terms.Add(new SearchTerm(phrase.Trim(), true, excluded));
                }

                continue;
            }

            var start = at;
            var colon = -1;
            while (at < text.Length && !char.IsWhiteSpace(text[at]) && text[at] != '"')
            {
                colon = colon < 0 && text[at] == ':' ? at : colon;
                at++;
            }

            var name = colon > start ? text[start..colon].ToLowerInvariant() : "";
            var value = colon > start ? text[(colon + 1)..at] : "";
            if (!excluded && colon > start && value.Length == 0 && at < text.Length && text[at] == '"' && name is "from" or "in")
            {
                value = Quoted(text, ref at).Trim();
            }

            var known = excluded ? null : Operator(name, value);
            if (known is null)
            {
                var word = text[start..at];
                if (word.Length > 0)
                {
                    terms.Add(new SearchTerm(word, false, excluded));
                }

                continue;
            }

            switch (known)
            {
                case SearchOperator.From:
                    from.Add(UserNameNormalizer.Normalize(value.TrimStart('@')));
                    break;
                case SearchOperator.In:
                    chats.Add(value);
                    break;
                case SearchOperator.HasLink:
                    hasLink = true;
                    break;
                case SearchOperator.HasFile:
                    hasFile = true;
                    break;
                case SearchOperator.Before:
                    before = Day(value);
                    break;
                case SearchOperator.After:
                    after = Day(value);
                    break;
                case SearchOperator.IsMention:
                    isMention = true;
                    break;
            }

            chips.Add(new SearchChip(known.Value, value));
        }

        return new SearchQuery(terms, from, chats, hasLink, hasFile, before, after, isMention, chips);
    }

    /// <summary>The operator <paramref name="name"/>:<paramref name="value"/> names, or null when it is not one (then it is text).</summary>
    private static SearchOperator? Operator(string name, string value) => (name, value.ToLowerInvariant()) switch
    {
        ("from", _) when value.TrimStart('@').Length > 0 => SearchOperator.From,
        ("in", _) when value.Trim().Length > 0 => SearchOperator.In,
        ("has", "link") => SearchOperator.HasLink,
        ("has", "file") => SearchOperator.HasFile,
        ("before", _) when Day(value) is not null => SearchOperator.Before,
        ("after", _) when Day(value) is not null => SearchOperator.After,
        ("is", "mention") => SearchOperator.IsMention,
        _ => null,
    };

    private static DateOnly? Day(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The text between the quote at <paramref name="at"/> and the next one (or the end), leaving <paramref name="at"/> after it.</summary>
    private static string Quoted(string text, ref int at)
    {
        var close = text.IndexOf('"', at + 1);
        var inside = close < 0 ? text[(at + 1)..] : text[(at + 1)..close];
        at = close < 0 ? text.Length : close + 1;
        return inside;
    }
}
