using System.Diagnostics;
using Microsoft.Playwright;

namespace DuckChat.Bench.Harness;

/// <summary>
/// M1 and M3: one sender and N receivers, each a different person in their own browser profile, in a group chat
/// that is fresh or already holds many messages. After a warm-up the sender sends at a steady rate; latency is
/// from the sender's Enter to the message being in each receiver's page. DuckChat and the baseline alternate,
/// each run on a fresh copy of the same seeded database.
/// </summary>
public static class LatencyBench
{
    /// <summary>How long to wait after the last send for every receiver to show every message.</summary>
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    public static async Task<List<LatencyRun>> RunAsync(BenchOptions options, BenchBrowser browser, string workDirectory, TextWriter log)
    {
        var runs = new List<LatencyRun>();
        int[] chatSizes = options.BigChatMessages > 0 ? [0, options.BigChatMessages] : [0];
        foreach (var chatSize in chatSizes)
        {
            foreach (var receivers in options.Receivers)
            {
                var template = await BenchDatabase.CreateAsync(
                    Path.Combine(workDirectory, $"latency-{chatSize}-{receivers}", BenchDatabase.FileName), receivers + 1, [chatSize]);
                for (var round = 1; round <= options.Rounds; round++)
                {
                    foreach (var kind in new[] { ServerKind.DuckChat, ServerKind.Baseline })
                    {
                        var dataDirectory = Path.Combine(workDirectory, $"latency-{chatSize}-{receivers}-{round}-{kind}");
                        template.CopyTo(dataDirectory);
                        var run = await RunOnceAsync(options, browser, template, kind, dataDirectory, round);
                        log.WriteLine($"M1 {kind,-8} chat of {chatSize,6}, {receivers} receiver(s), round {round}: " +
                                      $"p50 {run.P50:F1} ms, p99 {run.P99:F1} ms, {run.LatenciesMs.Count} delivered, {run.Missing} missing, " +
                                      $"{run.CpuMicrosecondsPerDelivery:F0} µs CPU per delivery");
                        runs.Add(run);
                    }
                }
            }
        }

        return runs;
    }

    private static async Task<LatencyRun> RunOnceAsync(
        BenchOptions options, BenchBrowser browser, SeededDatabase database, ServerKind kind, string dataDirectory, int round)
    {
        await using var server = await ServerProcess.StartAsync(kind, options, dataDirectory);
        var chatId = database.ChatIds[0];
        var contexts = new List<IBrowserContext>();
        try
        {
            var pages = new List<IPage>();
            foreach (var user in database.Users)
            {
                var context = await browser.NewPersonAsync(server, kind, user);
                contexts.Add(context);
                pages.Add(await BenchBrowser.OpenChatAsync(context, kind, chatId, user));
            }

            var sender = pages[0];
            var receivers = pages.Skip(1).ToList();
            await SendAsync(sender, "warm", options.WarmupMessages, options.MessagesPerSecond);
            await WaitForDeliveryAsync(receivers, Keys("warm", options.WarmupMessages));

            var cpuBefore = server.CpuSeconds();
            var keys = Keys("live", options.Messages);
            await SendAsync(sender, "live", options.Messages, options.MessagesPerSecond);
            var missing = await WaitForDeliveryAsync(receivers, keys);
            var cpuSeconds = server.CpuSeconds() - cpuBefore;

            var sent = await TimesAsync(sender, "sent");
            var latencies = new List<double>();
            foreach (var receiver in receivers)
            {
                var seen = await TimesAsync(receiver, "seen");
                latencies.AddRange(keys.Where(k => sent.ContainsKey(k) && seen.ContainsKey(k)).Select(k => seen[k] - sent[k]));
            }

            return new LatencyRun(kind, receivers.Count, database.ChatSizes[0], round, latencies, missing, cpuSeconds);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>Types each message and presses Enter at the given rate (the page timestamps the key press itself).</summary>
    internal static async Task SendAsync(IPage sender, string prefix, int count, double perSecond)
    {
        var box = sender.Locator(Servers.ReadySelector(ServerKind.DuckChat));
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            await box.FillAsync(BenchDatabase.Body(prefix, i));
            await box.PressAsync("Enter");
        }
    }

    /// <summary>Waits until every receiver shows every key, or the timeout; returns how many (receiver, key) pairs are missing.</summary>
    internal static async Task<int> WaitForDeliveryAsync(IReadOnlyList<IPage> receivers, IReadOnlyList<string> keys)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var missing = 0;
            foreach (var receiver in receivers)
            {
                missing += await receiver.EvaluateAsync<int>("keys => keys.filter(k => !(k in window.__bench.seen)).length", keys);
            }

            if (missing == 0 || clock.Elapsed > DeliveryTimeout)
            {
                return missing;
            }

            await Task.Delay(100);
        }
    }

    internal static Task<Dictionary<string, double>> TimesAsync(IPage page, string which) =>
        page.EvaluateAsync<Dictionary<string, double>>($"() => window.__bench.{which}");

    internal static List<string> Keys(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}-{i};").ToList();
}
