using System.Text;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;

namespace DuckChat.Bench.Search;

/// <summary>
/// A search's statements without the service around it: the plan and batches of <see cref="SearchStatements.Batch"/>,
/// every candidate rechecked with <see cref="TextMatches.Satisfies"/>, until a page is full, as the service loops. Words
/// only (no operators). With <c>detail=none</c> FTS5 refuses phrases, and to the trigram tokenizer every word longer
/// than three characters is a phrase of its trigrams; <see cref="Trigrams"/> asks instead for each trigram as a word of
/// its own (all wanted), which that layout can answer, and the recheck restores the exact match.
/// </summary>
public sealed class SearchDirect(SqliteConnection connection, string me, IReadOnlyList<int> chatIds, int pageSize, bool trigrams)
{
    public int Search(string text)
    {
        var query = SearchQuery.Parse(text);
        var indexed = query.Terms.Where(t => !t.Excluded).Select(t => SearchPlan.IndexedForm(t.Text)).OfType<string>().ToList();
        var plan = new SearchPlan(me, chatIds, indexed, [], [], false, false, null, null, false);
        using var snapshot = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var hits = 0;
        var below = long.MaxValue;
        var batch = pageSize * 2;
        while (hits <= pageSize)
        {
            SearchStatements.Batch(command, plan, below, 0, batch, sqlServer: false);
            if (trigrams)
            {
                command.Parameters["@match"].Value = Trigrams(plan);
            }

            var rows = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read() && hits <= pageSize)
                {
                    rows++;
                    below = reader.GetInt64(0);
                    hits += TextMatches.Satisfies(reader.GetString(6), query.Terms) ? 1 : 0;
                }
            }

            if (rows < batch)
            {
                break;
            }
        }

        return Math.Min(hits, pageSize);
    }

    /// <summary>Every distinct three-character run of every wanted word, each quoted, all ANDed.</summary>
    public static string Trigrams(SearchPlan plan)
    {
        var grams = new List<string>();
        foreach (var term in plan.Indexed)
        {
            var runes = term.EnumerateRunes().Select(r => r.ToString()).ToList();
            for (var i = 0; i + 3 <= runes.Count; i++)
            {
                var gram = new StringBuilder().Append(runes[i]).Append(runes[i + 1]).Append(runes[i + 2]).ToString();
                if (!grams.Contains(gram))
                {
                    grams.Add(gram);
                }
            }
        }

        return string.Join(" AND ", grams.Select(g => "\"" + g.Replace("\"", "\"\"") + "\""));
    }
}
