using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace DuckChat.Web.Search;

/// <summary>
/// The statements a search runs, for SQLite (the FTS5 trigram table <c>MessageSearch</c>) and SQL Server (the trigram
/// side table <c>MessageTrigrams</c>). Every one is bounded to the plan's chat ids, returns messages newest first (by
/// Id, the order they were stored) below a cursor, and reads the columns <see cref="MessageSearch"/> expects:
/// Id, ChatId, Seq, SentAt, Body, sender's UserName, SearchText.
/// </summary>
public static class SearchStatements
{
    private const string Columns = "m.Id, m.ChatId, m.Seq, m.SentAt, m.Body, u.UserName, m.SearchText";

    /// <summary>My chats, with the name each is shown by: the group's, or the other person's in a direct chat.</summary>
    public static void MyChats(DbCommand command, string me) => Set(command,
        """
        SELECT c.Id, c.Kind, c.Name,
            (SELECT u.UserName FROM ChatMembers o JOIN AspNetUsers u ON u.Id = o.UserId WHERE o.ChatId = c.Id AND o.UserId <> @me) AS OtherName
        FROM ChatMembers mine JOIN Chats c ON c.Id = mine.ChatId
        WHERE mine.UserId = @me
        """, ("@me", me));

    /// <summary>The Id just below the newest <paramref name="recent"/> messages of the plan's chats (0 when there are fewer).</summary>
    public static void RecentFloor(DbCommand command, SearchPlan plan, int recent, bool sqlServer)
    {
        Set(command, sqlServer
            ? $"SELECT m.Id FROM Messages m WHERE {Chats(true)} ORDER BY m.Id DESC OFFSET @recent ROWS FETCH NEXT 1 ROWS ONLY"
            : $"SELECT m.Id FROM Messages m WHERE {Chats(false)} ORDER BY m.Id DESC LIMIT 1 OFFSET @recent",
            ("@chats", JsonSerializer.Serialize(plan.ChatIds)), ("@me", plan.Me), ("@recent", recent));
    }

    /// <summary>One batch of candidates below <paramref name="belowId"/> and above <paramref name="floorId"/>, newest first.</summary>
    public static void Batch(DbCommand command, SearchPlan plan, long belowId, long floorId, int size, bool sqlServer)
    {
        var where = new StringBuilder();
        var parameters = new List<(string, object)>
        {
            ("@chats", JsonSerializer.Serialize(plan.ChatIds)), ("@below", belowId), ("@floor", floorId), ("@size", size), ("@me", plan.Me),
        };
        where.Append($"m.Id < @below AND m.Id > @floor AND {Chats(sqlServer)} AND m.SearchText IS NOT NULL");
        if (plan.From.Count > 0)
        {
            parameters.Add(("@from", JsonSerializer.Serialize(plan.From)));
            where.Append(sqlServer
                ? " AND m.SenderId IN (SELECT s.Id FROM AspNetUsers s WHERE s.NormalizedUserName IN (SELECT value FROM OPENJSON(@from)))"
                : " AND m.SenderId IN (SELECT s.Id FROM AspNetUsers s WHERE s.NormalizedUserName IN (SELECT value FROM json_each(@from)))");
        }

        if (plan.HasLink)
        {
            where.Append(" AND (m.SearchText LIKE '%http://%' OR m.SearchText LIKE '%https://%')");
        }

        if (plan.HasFile)
        {
            where.Append($" AND EXISTS (SELECT 1 FROM Files f WHERE f.MessageId = m.Id AND f.State = {(int)Files.FileState.Stored})");
        }

        if (plan.SentBefore is { } before)
        {
            parameters.Add(("@before", before));
            where.Append(" AND m.SentAt < @before");
        }

        if (plan.SentFrom is { } after)
        {
            parameters.Add(("@after", after));
            where.Append(" AND m.SentAt >= @after");
        }

        if (plan.IsMention)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM MessageMentions mm WHERE mm.UserId = @me AND mm.MessageId = m.Id)");
        }

        if (sqlServer)
        {
            SqlServerTerms(plan, where, parameters);
            Set(command, $"SELECT TOP (@size) {Columns} FROM Messages m LEFT JOIN AspNetUsers u ON u.Id = m.SenderId WHERE {where} ORDER BY m.Id DESC",
                [.. parameters]);
        }
        else if (plan.Scans)
        {
            Set(command, $"SELECT {Columns} FROM Messages m LEFT JOIN AspNetUsers u ON u.Id = m.SenderId WHERE {where} ORDER BY m.Id DESC LIMIT @size",
                [.. parameters]);
        }
        else
        {
            // The index drives: it yields matches newest first (descending rowid) and each is looked up by its key, so
            // the work grows with the matches, and a page stops as soon as it is full. The newest messages, which the
            // indexer has not added yet (SearchIndexer), are read as they are, every one a candidate for the recheck:
            // by key from the state's Id (NOT INDEXED, or the planner may walk all of my chats' messages to find none).
            parameters.Add(("@match", Fts5Match(plan)));
            Set(command,
                $"""
                SELECT * FROM (
                    SELECT {Columns} FROM Messages m NOT INDEXED LEFT JOIN AspNetUsers u ON u.Id = m.SenderId
                    WHERE m.Id > (SELECT IndexedThrough FROM {SearchIndex.StateTable}) AND {where} ORDER BY m.Id DESC LIMIT @size)
                UNION ALL
                SELECT * FROM (
                    SELECT {Columns} FROM MessageSearch x CROSS JOIN Messages m ON m.Id = x.rowid LEFT JOIN AspNetUsers u ON u.Id = m.SenderId
                    WHERE MessageSearch MATCH @match AND x.rowid < @below AND {where} ORDER BY x.rowid DESC LIMIT @size)
                ORDER BY 1 DESC LIMIT @size
                """, [.. parameters]);
        }
    }

    /// <summary>An FTS5 query: each term a quoted string (a substring to the trigram tokenizer), all wanted, the excluded ones NOT.</summary>
    public static string Fts5Match(SearchPlan plan) =>
        string.Join(" AND ", plan.Indexed.Select(Fts5String))
        + string.Concat(plan.ExcludedIndexed.Select(term => " NOT " + Fts5String(term)));

    private static string Fts5String(string term) => "\"" + term.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// SQL Server: a message must hold every trigram of every wanted term (postings of the side table, compared ignoring
    /// case and accents as its collation says), then the term itself (LIKE, in the column's case- and accent-insensitive collation).
    /// </summary>
    private static void SqlServerTerms(SearchPlan plan, StringBuilder where, List<(string, object)> parameters)
    {
        for (var i = 0; i < plan.Indexed.Count; i++)
        {
            var term = plan.Indexed[i];
            var trigrams = Trigrams(term);
            parameters.Add(($"@grams{i}", JsonSerializer.Serialize(trigrams)));
            parameters.Add(($"@gramCount{i}", trigrams.Count));
            parameters.Add(($"@like{i}", Like(term)));
            // The wanted trigrams compare in the table's collation, stated: OPENJSON's values carry a collation of their own,
            // and two implicit collations would not compare at all.
            where.Append($" AND m.Id IN (SELECT t.MessageId FROM MessageTrigrams t WHERE t.Trigram IN (SELECT value COLLATE {SearchIndex.SqlServerCollation} FROM OPENJSON(@grams{i}))")
                .Append($" GROUP BY t.MessageId HAVING COUNT(DISTINCT t.Trigram) = @gramCount{i})")
                .Append($" AND m.SearchText LIKE @like{i} ESCAPE '\\'");
        }

        for (var i = 0; i < plan.ExcludedIndexed.Count; i++)
        {
            parameters.Add(($"@unlike{i}", Like(plan.ExcludedIndexed[i])));
            where.Append($" AND m.SearchText NOT LIKE @unlike{i} ESCAPE '\\'");
        }
    }

    public static IReadOnlyList<string> Trigrams(string term)
    {
        var lower = term.ToLowerInvariant();
        return Enumerable.Range(0, Math.Max(0, lower.Length - 2)).Select(i => lower.Substring(i, 3)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Like(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%";

    /// <summary>The plan's chats, and of those only the ones I am a member of as the statement runs: authorization inside the query.</summary>
    private static string Chats(bool sqlServer) =>
        "m.ChatId IN (SELECT cm.ChatId FROM ChatMembers cm WHERE cm.UserId = @me AND cm.ChatId IN "
        + (sqlServer ? "(SELECT CAST(value AS int) FROM OPENJSON(@chats)))" : "(SELECT value FROM json_each(@chats)))");

    private static void Set(DbCommand command, string sql, params (string Name, object Value)[] parameters)
    {
        command.CommandText = sql;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
