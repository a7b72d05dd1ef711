using System.Diagnostics;
using System.Text.RegularExpressions;
using DuckChat.Bench.Circuits;
using Microsoft.Playwright;

namespace DuckChat.Bench.Harness;

/// <summary>
/// Is the circuit client a faithful browser? In one chat, a Chromium page sends (Enter in the composer, as M1) while N
/// client circuits and up to five Chromium pages receive, opened alternately so neither kind is ahead in the server's
/// fan-out. Compares what each kind saw, in which order and how fast (the client's times converted to Chromium's clock),
/// the server's own circuit counts and log, and the JS interop calls and answers of a client tab and a Chromium tab.
/// </summary>
public static partial class FaithfulnessBench
{
    private const int WarmupMessages = 10;
    private const double MessagesPerSecond = 2;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    public static async Task<List<FaithfulnessRun>> RunAsync(BenchOptions options, BenchBrowser browser, string workDirectory, TextWriter log)
    {
        var runs = new List<FaithfulnessRun>();
        foreach (var circuits in options.FaithfulnessCircuits)
        {
            var run = await RunOnceAsync(options, browser, workDirectory, circuits, Math.Min(circuits, options.FaithfulnessBrowsers));
            log.WriteLine($"Faithfulness {circuits,2} circuit(s) + {run.Browsers} browser(s): circuits p50 {Stats.Median(run.CircuitLatenciesMs):F1} ms / " +
                          $"browsers {Stats.Median(run.BrowserLatenciesMs):F1} ms ({run.P50Ratio:F2}×), missing {run.CircuitMissing}/{run.BrowserMissing}, " +
                          $"out of order {run.CircuitsOutOfOrder}/{run.BrowsersOutOfOrder}, server counts {run.ServerActiveCircuits} circuits, " +
                          $"{run.ServerErrors.Count} errors, {run.JsDifferences.Count} JS differences: {(run.Faithful ? "faithful" : "NOT faithful")}");
            runs.Add(run);
        }

        return runs;
    }

    private static async Task<FaithfulnessRun> RunOnceAsync(BenchOptions options, BenchBrowser browser, string workDirectory, int circuits, int browsers)
    {
        var receivers = circuits + browsers;
        var dataDirectory = Path.Combine(workDirectory, $"faithfulness-{circuits}");
        var database = await BenchDatabase.CreateAsync(Path.Combine(dataDirectory, "template", BenchDatabase.FileName), 1 + receivers, [5]);
        database.CopyTo(Path.Combine(dataDirectory, "run"));
        await using var server = await ServerProcess.StartAsync(ServerKind.DuckChat, options, Path.Combine(dataDirectory, "run"));
        await using var fleet = new CircuitFleet(server, database);
        var contexts = new List<IBrowserContext>();
        try
        {
            var chatId = database.ChatIds[0];
            var senderContext = await browser.NewPersonAsync(server, ServerKind.DuckChat, database.Users[0]);
            contexts.Add(senderContext);
            var sender = await BenchBrowser.OpenChatAsync(senderContext, ServerKind.DuckChat, chatId, database.Users[0]);

            // Receivers alternate between the kinds, a Chromium page first, each a person of their own, opened one after another.
            var pages = new List<IPage>();
            var transcript = new HubTranscript();
            for (var i = 0; i < receivers; i++)
            {
                var person = 1 + i;
                if (i * browsers % receivers < browsers)
                {
                    var context = await browser.NewPersonAsync(server, ServerKind.DuckChat, database.Users[person]);
                    contexts.Add(context);
                    var page = await context.NewPageAsync();
                    if (pages.Count == 0)
                    {
                        Record(page, transcript);
                    }

                    await BenchBrowser.GoToChatAsync(page, ServerKind.DuckChat, chatId, database.Users[person]);
                    pages.Add(page);
                }
                else
                {
                    await fleet.OpenAsync([(0, person)], BrowserProfile.HeadlessChromium);
                }
            }

            var counts = await SettledCircuitCountsAsync(server, 1 + fleet.Circuits.Count + pages.Count);
            var clock = await ClockOffset.MeasureAsync(sender);

            await LatencyBench.SendAsync(sender, "warm", WarmupMessages, MessagesPerSecond);
            await WaitForCircuitsAsync(fleet, LatencyBench.Keys("warm", WarmupMessages));
            await LatencyBench.WaitForDeliveryAsync(pages, LatencyBench.Keys("warm", WarmupMessages));

            var keys = LatencyBench.Keys("live", options.FaithfulnessMessages);
            var clientCores = CoreLoad.Start();
            await LatencyBench.SendAsync(sender, "live", options.FaithfulnessMessages, MessagesPerSecond);
            var circuitMissing = await WaitForCircuitsAsync(fleet, keys);
            var browserMissing = await LatencyBench.WaitForDeliveryAsync(pages, keys);
            var clientCoresBusy = clientCores.BusyPercent();
            var after = await ClockOffset.MeasureAsync(sender);

            var sent = await LatencyBench.TimesAsync(sender, "sent");
            var circuitLatencies = fleet.Circuits.SelectMany(c => c.Circuit.Seen)
                .Where(s => sent.ContainsKey(s.Key) && keys.Contains(s.Key))
                .Select(s => clock.ToBrowser(s.AtMs) - sent[s.Key]).ToList();
            List<double> browserLatencies = [], browserShownLatencies = [];
            var browsersOutOfOrder = 0;
            foreach (var page in pages)
            {
                var arrived = await LatencyBench.TimesAsync(page, "arrived");
                browserLatencies.AddRange(keys.Where(k => sent.ContainsKey(k) && arrived.ContainsKey(k)).Select(k => arrived[k] - sent[k]));
                var seen = await LatencyBench.TimesAsync(page, "seen");
                browserShownLatencies.AddRange(keys.Where(k => sent.ContainsKey(k) && seen.ContainsKey(k)).Select(k => seen[k] - sent[k]));
                var shown = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.message-body')].map(e => e.textContent)");
                browsersOutOfOrder += InOrder(shown.SelectMany(text => LiveKey().Matches(text).Select(m => m.Value))) ? 0 : 1;
            }

            var circuitsOutOfOrder = fleet.Circuits.Count(c => !InOrder(c.Circuit.Seen.Select(s => s.Key).Where(k => k.StartsWith("live-", StringComparison.Ordinal))));
            var reference = fleet.Circuits[0].Circuit;
            return new FaithfulnessRun(
                fleet.Circuits.Count, pages.Count, options.FaithfulnessMessages, circuitLatencies, browserLatencies, browserShownLatencies, circuitMissing, browserMissing,
                circuitsOutOfOrder, browsersOutOfOrder,
                // The offset is known to half the best round trip; a drift between the two measurements adds to that.
                Math.Max(clock.ResidualMs, after.ResidualMs) + Math.Abs(after.OffsetMs - clock.OffsetMs),
                counts.Active, counts.Connected, server.LoggedErrors,
                transcript.JsExchanges.Count, JsDifferences(transcript, reference),
                [.. fleet.FailedToOpen, .. fleet.Circuits.Select(c => c.Circuit.Failure).OfType<string>()], clientCoresBusy);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>Keeps the /_blazor frames of a page, from before it navigates.</summary>
    private static void Record(IPage page, HubTranscript transcript) => page.WebSocket += (_, socket) =>
    {
        socket.FrameReceived += (_, frame) => AddFrame(transcript, frame, fromServer: true);
        socket.FrameSent += (_, frame) => AddFrame(transcript, frame, fromServer: false);
    };

    private static void AddFrame(HubTranscript transcript, IWebSocketFrame frame, bool fromServer)
    {
        if (frame.Binary is { } bytes)
        {
            transcript.Add(bytes, fromServer);
        }
    }

    /// <summary>
    /// The interop calls of a Chromium tab and a client tab and their answers, as multisets: the browser answers some
    /// calls (module imports) when their promise settles, so its order, and which module gets which object id, follow
    /// its timing, not the protocol. Object ids are compared as "an object".
    /// </summary>
    private static List<string> JsDifferences(HubTranscript browser, BlazorCircuit client)
    {
        static Dictionary<string, int> Count(IEnumerable<JsExchange> calls) => calls
            .GroupBy(c => $"{c.Identifier} → {ObjectId().Replace(HandlePrefix().Replace(c.AnswerJson ?? "-", "["), "\"__jsObjectId\":n")}")
            .ToDictionary(g => g.Key, g => g.Count());
        var theirs = Count(browser.JsExchanges);
        var ours = Count(client.JsExchanges);
        var differences = theirs.Keys.Union(ours.Keys)
            .Where(call => theirs.GetValueOrDefault(call) != ours.GetValueOrDefault(call))
            .Select(call => $"{call}: Chromium {theirs.GetValueOrDefault(call)}×, client {ours.GetValueOrDefault(call)}×")
            .ToList();
        differences.AddRange(browser.Undecoded.Select(frame => $"Chromium's frames: {frame}"));
        if (!browser.DotNetCalls.SequenceEqual(client.DotNetCalls))
        {
            differences.Add($"calls into .NET: Chromium {string.Join(", ", browser.DotNetCalls)}; client {string.Join(", ", client.DotNetCalls)}");
        }

        return differences;
    }

    /// <summary>Blazor's circuit counters change as circuits finish starting: wait briefly for them to reach the tabs opened.</summary>
    private static async Task<(long Active, long Connected)> SettledCircuitCountsAsync(ServerProcess server, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var counts = await server.CircuitCountsAsync();
            if ((counts.Active == expected && counts.Connected == expected) || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                return counts;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until every circuit has seen every key, or the timeout; returns how many (circuit, key) pairs are missing.</summary>
    internal static async Task<int> WaitForCircuitsAsync(CircuitFleet fleet, IReadOnlyList<string> keys)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var missing = fleet.Circuits.Sum(c => keys.Except(c.Circuit.Seen.Select(s => s.Key)).Count());
            if (missing == 0 || clock.Elapsed > DeliveryTimeout)
            {
                return missing;
            }

            await Task.Delay(100);
        }
    }

    private static bool InOrder(IEnumerable<string> liveKeys)
    {
        var numbers = liveKeys.Select(k => int.Parse(k[5..^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return numbers.Zip(numbers.Skip(1)).All(p => p.First < p.Second);
    }

    [GeneratedRegex("live-\\d+;")]
    private static partial Regex LiveKey();

    [GeneratedRegex("^\\[\\d+,")]
    private static partial Regex HandlePrefix();

    [GeneratedRegex("\"__jsObjectId\":\\d+")]
    private static partial Regex ObjectId();
}
