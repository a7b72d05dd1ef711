namespace DuckChat.Bench.Harness;

/// <summary>
/// M6: one person opens chats of 1,000, 10,000 and 100,000 messages again and again: time from navigation start
/// to the newest message in the page and to the composer being ready, then to load one older page. The first
/// load of each chat warms up and is not counted.
/// </summary>
public static class HistoryBench
{
    private static readonly string LoadOlderScript = BenchBrowser.Script("loadOlder.js");

    public static async Task<List<HistoryRun>> RunAsync(BenchOptions options, BenchBrowser browser, string workDirectory, TextWriter log)
    {
        var database = await BenchDatabase.CreateAsync(Path.Combine(workDirectory, "history", BenchDatabase.FileName), 1, options.HistorySizes);
        var runs = new List<HistoryRun>();
        foreach (var kind in new[] { ServerKind.DuckChat, ServerKind.Baseline })
        {
            var dataDirectory = Path.Combine(workDirectory, $"history-{kind}");
            database.CopyTo(dataDirectory);
            await using var server = await ServerProcess.StartAsync(kind, options, dataDirectory);
            var user = database.Users[0];
            var context = await browser.NewPersonAsync(server, kind, user);
            var page = await context.NewPageAsync();
            for (var c = 0; c < database.ChatIds.Count; c++)
            {
                var size = database.ChatSizes[c];
                var newest = $"seed-{size};";
                List<double> open = [], interactive = [], older = [];
                for (var load = 0; load <= options.HistoryLoads; load++)
                {
                    await BenchBrowser.GoToChatAsync(page, kind, database.ChatIds[c], user);
                    var times = await page.EvaluateAsync<double[]>(
                        "key => [window.__bench.seen[key] - performance.timeOrigin, window.__bench.ready - performance.timeOrigin]", newest);
                    var olderMs = await page.EvaluateAsync<double>(LoadOlderScript);
                    if (load > 0)
                    {
                        open.Add(times[0]);
                        interactive.Add(times[1]);
                        older.Add(olderMs);
                    }
                }

                var run = new HistoryRun(kind, size, open, interactive, older);
                log.WriteLine($"M6 {kind,-8} chat of {size,6}: newest shown p50 {Stats.Median(open):F0} ms, " +
                              $"ready p50 {Stats.Median(interactive):F0} ms, older page p50 {Stats.Median(older):F0} ms");
                runs.Add(run);
            }

            await context.CloseAsync();
        }

        return runs;
    }
}
