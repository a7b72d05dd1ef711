using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using DuckChat.Bench.SendPath;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;

namespace DuckChat.Bench.Search;

/// <summary>How much to seed and search. The defaults are the issue's; <see cref="AsTiny"/> only proves the plumbing.</summary>
public sealed record SearchBenchOptions
{
    public int Messages { get; init; } = 1_000_000;
    public int Chats { get; init; } = 1_000;
    public int People { get; init; } = 500;
    public int MembersPerChat { get; init; } = 10;

    /// <summary>Chats of the first measured person (person 0) and of the second (person 1).</summary>
    public int FewChats { get; init; } = 20;
    public int ManyChats { get; init; } = 200;

    public int Runs { get; init; } = 200;
    /// <summary>Rounds of every query of a class before it is timed.</summary>
    public int WarmupRuns { get; init; } = 2;
    public int ChannelRuns { get; init; } = 200;
    public int RareNeedles { get; init; } = 10;
    public int CommonNeedles { get; init; } = 10_000;

    /// <summary>"full" or "tiny": written into the results so a smoke-size run is never mistaken for a real one.</summary>
    public string Size { get; init; } = "full";

    public SearchBenchOptions AsTiny() => this with
    {
        Size = "tiny", Messages = 3_000, Chats = 30, People = 40, MembersPerChat = 5, FewChats = 3, ManyChats = 12,
        Runs = 3, WarmupRuns = 1, ChannelRuns = 3, RareNeedles = 2, CommonNeedles = 50,
    };
}

/// <summary>
/// Issue 19, "Measured": search over a seeded database. The app's real services in this process on a temporary
/// SQLite file (<see cref="SendPathApp"/>); 1,000,000 messages of mixed languages over 1,000 group chats; each query
/// class searched through <see cref="MessageSearch.SearchAsync"/> from a tab (a circuit's scope) of a person in 20
/// chats and of one in 200; index size against the messages' size; the same with the index made again with
/// <c>detail=none</c>; and the timing channel (a word only in others' chats against a word nowhere).
/// </summary>
public static class SearchBench
{
    public static async Task<SearchRun> RunAsync(SearchBenchOptions options, TextWriter log)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "duckchat-search", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var layouts = new List<SearchLayout>();
            SeededChats seeded;
            string version;
            var pages = new Dictionary<string, long[]>();
            await using (var app = new SendPathApp(dataDirectory, new EfCommandCounter()))
            {
                app.Start();
                var clock = Stopwatch.StartNew();
                seeded = await SearchSeed.SeedAsync(app, options, log);
                log.WriteLine($"search: seeded in {clock.Elapsed.TotalSeconds:F0} s");
                await using var connection = await OpenAsync(app.DatabaseFile);
                version = connection.ServerVersion;
                var (seconds, sizes) = await IndexAsync(connection, detail: null);
                log.WriteLine($"search: detail=full index built in {seconds:F1} s");
                layouts.Add(await MeasureLayoutAsync(app, "full", seconds, sizes, seeded, options, pages, log));
            }

            SqliteConnection.ClearAllPools();
            double noneSeconds;
            SearchSizes noneSizes;
            await using (var connection = await OpenAsync(Path.Combine(dataDirectory, "duckchat.db")))
            {
                (noneSeconds, noneSizes) = await IndexAsync(connection, detail: "none");
                log.WriteLine($"search: detail=none index built in {noneSeconds:F1} s");
            }

            SqliteConnection.ClearAllPools();
            await using (var app = new SendPathApp(dataDirectory, new EfCommandCounter()))
            {
                app.Start();
                layouts.Add(await MeasureLayoutAsync(app, "none", noneSeconds, noneSizes, seeded, options, pages, log));
            }

            return new SearchRun(options.Size, version, options.Messages, options.Chats, options.People, options.MembersPerChat,
                seeded.Mix.ToDictionary(m => m.Key.ToString(), m => m.Value), seeded.SeedSeconds, options.Runs, options.WarmupRuns,
                SendPathApp.Overrides, layouts);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await SearchSeed.Execute(connection, "PRAGMA busy_timeout = 60000;");
        return connection;
    }

    /// <summary>
    /// Builds the index over every message in one <c>rebuild</c> (as the rebuild command does), timed; with
    /// <paramref name="detail"/> the table is first made again with that detail. Then its size.
    /// </summary>
    private static async Task<(double Seconds, SearchSizes Sizes)> IndexAsync(SqliteConnection connection, string? detail)
    {
        if (detail is not null)
        {
            var create = (string)(await SearchSeed.Scalar(connection, $"SELECT sql FROM sqlite_master WHERE name = '{SearchIndex.FtsTable}'"))!;
            await SearchSeed.Execute(connection, $"DROP TABLE \"{SearchIndex.FtsTable}\";");
            await SearchSeed.Execute(connection, create.Replace("detail=full", $"detail={detail}", StringComparison.Ordinal) + ";");
        }

        await SearchSeed.Execute(connection, $"INSERT INTO \"{SearchIndex.FtsTable}\"(\"{SearchIndex.FtsTable}\") VALUES ('delete-all');");
        var before = await UsedBytesAsync(connection);
        var clock = Stopwatch.StartNew();
        await SearchSeed.Execute(connection, $"INSERT INTO \"{SearchIndex.FtsTable}\"(\"{SearchIndex.FtsTable}\") VALUES ('rebuild');");
        var seconds = clock.Elapsed.TotalSeconds;
        await SearchSeed.Execute(connection, $"UPDATE \"{SearchIndex.StateTable}\" SET \"IndexedThrough\" = (SELECT MAX(\"Id\") FROM \"Messages\");");
        var grown = await UsedBytesAsync(connection) - before;
        await SearchSeed.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return (seconds, await SizesAsync(connection, grown));
    }

    /// <summary>Bytes in pages in use (all pages less the free list).</summary>
    private static async Task<long> UsedBytesAsync(SqliteConnection connection) =>
        ((long)(await SearchSeed.Scalar(connection, "PRAGMA page_count"))! - (long)(await SearchSeed.Scalar(connection, "PRAGMA freelist_count"))!)
        * (long)(await SearchSeed.Scalar(connection, "PRAGMA page_size"))!;

    private static async Task<SearchSizes> SizesAsync(SqliteConnection connection, long indexGrowth)
    {
        var body = (long)(await SearchSeed.Scalar(connection, "SELECT SUM(length(CAST(Body AS BLOB))) FROM Messages"))!;
        var searchText = (long)(await SearchSeed.Scalar(connection, "SELECT SUM(length(CAST(SearchText AS BLOB))) FROM Messages"))!;
        var parts = new Dictionary<string, long>();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name";
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                parts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (SqliteException)
        {
            // This SQLite has no dbstat table: the index's size is then the pages its rebuild added.
            parts.Clear();
        }

        var messageIndexes = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Messages'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                messageIndexes.Add(reader.GetString(0));
            }
        }

        long? Sum(Func<string, bool> which) => parts.Count == 0 ? null : parts.Where(p => which(p.Key)).Sum(p => p.Value);
        return new SearchSizes(
            Sum(n => n == "Messages"), Sum(messageIndexes.Contains), Sum(n => n.StartsWith(SearchIndex.FtsTable + "_", StringComparison.Ordinal)),
            parts.Where(p => p.Key.StartsWith(SearchIndex.FtsTable + "_", StringComparison.Ordinal)).ToDictionary(),
            indexGrowth, body, searchText, await UsedBytesAsync(connection));
    }

    private static async Task<SearchLayout> MeasureLayoutAsync(
        SendPathApp app, string detail, double indexSeconds, SearchSizes sizes, SeededChats seeded, SearchBenchOptions options,
        Dictionary<string, long[]> pages, TextWriter log)
    {
        var latency = new List<SearchLatency>();
        var differing = new List<string>();
        var compared = 0;
        var pageSize = app.Services.GetRequiredService<IOptions<SearchOptions>>().Value.PageSize;
        var channel = new List<ChannelResult>();
        foreach (var (person, label) in new[] { (0, "few"), (1, "many") })
        {
            await using var tab = app.OpenTab(seeded.People[person]);
            var search = tab.Get<MessageSearch>();
            await using var connection = await OpenAsync(app.DatabaseFile);
            var chats = Enumerable.Range(0, seeded.ChatIds.Count).Where(c => seeded.Members[c].Contains(person)).ToList();
            var direct = new SearchDirect(connection, seeded.People[person].FindFirstValue(ClaimTypes.NameIdentifier)!,
                [.. chats.Select(c => seeded.ChatIds[c])], pageSize, trigrams: detail == "none");
            Searcher service = query => ServiceAsync(search, query);
            Searcher statements = query => Task.FromResult(new Searched(SearchOutcome.Found.ToString(), direct.Search(query), false, [], null));
            foreach (var (name, queries) in SearchQueries.Classes(seeded, chats, person))
            {
                var ways = new List<(string Way, Searcher Searcher)> { ("service", service) };
                if (SearchQueries.WordsOnly(name))
                {
                    ways.Add((detail == "none" ? "statements, ANDed trigrams" : "statements", statements));
                }

                foreach (var (way, searcher) in ways)
                {
                    var measured = await MeasureAsync(searcher, queries, options.WarmupRuns, options.Runs);
                    latency.Add(measured with { Layout = detail, Way = way, Person = label, PersonChats = chats.Count, Class = name });
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"search detail={detail} {way} {label} ({chats.Count} chats) {name}: p50 {measured.P50Ms:F1} ms p99 {measured.P99Ms:F1} ms, hits {measured.MeanHits:F1}, errors {measured.Errors}"));
                    foreach (var (query, ids) in measured.FirstPages.Where(_ => way == "service"))
                    {
                        var key = $"{label}\u0001{query}";
                        if (!pages.TryAdd(key, ids))
                        {
                            compared++;
                            if (!pages[key].SequenceEqual(ids))
                            {
                                differing.Add($"{label}: {query}");
                            }
                        }
                    }
                }
            }

            if (person == 0)
            {
                // With detail=none the service's statement fails (a phrase); its statements with ANDed trigrams answer.
                channel.AddRange(await ChannelAsync(detail == "none" ? statements : service, options));
            }
        }

        foreach (var c in channel)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search detail={detail} channel {c.Term} ({c.Where}): p50 {c.P50Ms:F2} ms p99 {c.P99Ms:F2} ms, hits {c.Hits}"));
        }

        return new SearchLayout(detail, indexSeconds, sizes, latency, channel, compared, differing);
    }

    /// <summary>One search: its outcome, hits on its first page (and their ids), whether it scanned recent messages only, or what went wrong.</summary>
    private sealed record Searched(string? Outcome, int Hits, bool RecentOnly, long[] Ids, string? Error);

    private delegate Task<Searched> Searcher(string query);

    private static async Task<Searched> ServiceAsync(MessageSearch search, string query)
    {
        var results = await search.SearchAsync(query, null, CancellationToken.None);
        return new Searched(results.Outcome.ToString(), results.Hits.Count, results.RecentOnly, [.. results.Hits.Select(h => h.MessageId)], null);
    }

    private static async Task<SearchLatency> MeasureAsync(Searcher searcher, IReadOnlyList<string> queries, int warmup, int runs)
    {
        for (var i = 0; i < warmup * queries.Count; i++)
        {
            await TimedAsync(searcher, queries[i % queries.Count]);
        }

        var ms = new double[runs];
        var outcomes = new Dictionary<string, int>();
        var hits = 0L;
        var errors = 0;
        string? firstError = null;
        var recentOnly = false;
        var firstPages = new Dictionary<string, long[]>();
        for (var i = 0; i < runs; i++)
        {
            var query = queries[i % queries.Count];
            var (elapsed, searched) = await TimedAsync(searcher, query);
            ms[i] = elapsed;
            if (searched.Error is { } error)
            {
                errors++;
                firstError ??= error;
                continue;
            }

            outcomes[searched.Outcome!] = outcomes.GetValueOrDefault(searched.Outcome!) + 1;
            hits += searched.Hits;
            recentOnly |= searched.RecentOnly;
            firstPages.TryAdd(query, searched.Ids);
        }

        Array.Sort(ms);
        return new SearchLatency("", "", "", 0, "", queries, runs, Percentile(ms, 0.5), Percentile(ms, 0.99), ms[^1],
            (double)hits / Math.Max(1, runs - errors), outcomes, errors, firstError, recentOnly, firstPages);
    }

    private static async Task<(double Ms, Searched Searched)> TimedAsync(Searcher searcher, string query)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var searched = await searcher(query);
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, searched);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, new Searched(null, 0, false, [], $"{query}: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>
    /// Issue 19, 4: the same person searches a word found nowhere and words found only in chats they are not in (a few
    /// times, many times), taking turns so drift hits all alike.
    /// </summary>
    private static async Task<List<ChannelResult>> ChannelAsync(Searcher searcher, SearchBenchOptions options)
    {
        var terms = new[] { (SearchSeed.Nowhere, "nowhere", 0), (SearchSeed.RareNeedle, "only others' chats", options.RareNeedles), (SearchSeed.CommonNeedle, "only others' chats", options.CommonNeedles) };
        var ms = terms.Select(_ => new double[options.ChannelRuns]).ToArray();
        var hits = new int[terms.Length];
        for (var i = -options.WarmupRuns; i < options.ChannelRuns; i++)
        {
            for (var t = 0; t < terms.Length; t++)
            {
                var k = (t + Math.Max(i, 0)) % terms.Length;
                var (elapsed, searched) = await TimedAsync(searcher, terms[k].Item1);
                if (searched.Error is { } error)
                {
                    throw new InvalidOperationException(error);
                }

                if (i >= 0)
                {
                    ms[k][i] = elapsed;
                    hits[k] += searched.Hits;
                }
            }
        }

        return [.. terms.Select((term, k) =>
        {
            Array.Sort(ms[k]);
            return new ChannelResult(term.Item1, term.Item2, term.Item3, options.ChannelRuns, Percentile(ms[k], 0.5), Percentile(ms[k], 0.99), hits[k]);
        })];
    }

    /// <summary>Nearest rank of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
