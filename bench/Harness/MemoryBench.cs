namespace DuckChat.Bench.Harness;

/// <summary>
/// M4: the server's managed heap (after a full collection) and RSS with 0, 50, 100, 200 pages of one chat open.
/// All pages share one browser profile and at most four renderer processes (about 20 MB a page), so the browser
/// fits in memory; per page is the least-squares slope over the steps. The empty interactive page (BlazorFloor) is
/// measured the same way, so the report shows which part of a chat page is the framework's and which is DuckChat's.
/// </summary>
public static class MemoryBench
{
    /// <summary>Time for the last pages' first renders and interop round trips to finish before measuring.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task<List<MemoryRun>> RunAsync(BenchOptions options, string workDirectory, TextWriter log)
    {
        var database = await BenchDatabase.CreateAsync(Path.Combine(workDirectory, "memory", BenchDatabase.FileName), 1, [options.MemoryChatMessages]);
        await using var browser = await BenchBrowser.LaunchAsync("--renderer-process-limit=4");
        var runs = new List<MemoryRun>();
        foreach (var kind in new[] { ServerKind.DuckChat, ServerKind.Baseline, ServerKind.BlazorFloor })
        {
            var dataDirectory = Path.Combine(workDirectory, $"memory-{kind}");
            database.CopyTo(dataDirectory);
            await using var server = await ServerProcess.StartAsync(kind, options, dataDirectory);
            var user = database.Users[0];
            var context = await browser.NewPersonAsync(server, kind, user);
            var points = new List<MemoryPoint>();
            var open = 0;
            foreach (var target in options.MemoryPages.Order())
            {
                for (; open < target; open++)
                {
                    await BenchBrowser.OpenChatAsync(context, kind, database.ChatIds[0], user);
                }

                await Task.Delay(Settle);
                var point = new MemoryPoint(open, await server.HeapBytesAsync(), server.RssBytes());
                log.WriteLine($"M4 {kind,-8} {point.Pages,4} pages: heap {point.HeapBytes / 1024.0:N0} KB, RSS {point.RssBytes / 1024.0:N0} KB");
                points.Add(point);
                if (options.GcDumpDirectory is { } dumps)
                {
                    await server.WriteGcDumpAsync(Path.Combine(dumps, $"{kind}-{point.Pages}-pages.gcdump"));
                }
            }

            await context.CloseAsync();
            runs.Add(new MemoryRun(kind, options.MemoryChatMessages, points));
        }

        return runs;
    }
}
