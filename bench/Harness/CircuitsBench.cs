using System.Diagnostics;
using System.Globalization;
using DuckChat.Bench.Circuits;

namespace DuckChat.Bench.Harness;

/// <summary>
/// M2: thousands of circuits from the circuit client, no browser. Team case: chats of ten viewers (each a
/// different person; a person holds up to twenty tabs, one of them looked at), every chat active, the circuits
/// added step by step (100 ... 5,000) on one server; at each step the idle server's memory, then messages at 100 a
/// second in total, each sent by one of its chat's viewers as the composer sends. Broadcast case: the step circuits
/// closed, 1,000 tabs on one chat, one of them sending at 2 a second. Latency is from the send to the render batch
/// carrying the message at each other viewer, on the harness's one clock.
/// </summary>
public static class CircuitsBench
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A step whose p99 is beyond this is past the server's capacity (its queue grows through the step).</summary>
    private const double PastCapacityMs = 5_000;

    private sealed record Sent(string Key, int Chat, BlazorCircuit Sender, double AtMs);

    public static async Task<List<CircuitStep>> RunAsync(BenchOptions options, string workDirectory, TextWriter log)
    {
        var viewers = options.ViewersPerChat;
        var largest = options.CircuitSteps.Max();
        var accounts = Math.Max(viewers, (largest + options.TabsPerAccount - 1) / options.TabsPerAccount);
        var chats = largest / viewers;
        // Chat c's viewers are consecutive accounts (mod the count): ten different people, each in about twenty chats.
        var specs = Enumerable.Range(0, chats)
            .Select(c => (options.CircuitChatHistory, (IReadOnlyList<int>)Enumerable.Range(0, viewers).Select(j => (c * viewers + j) % accounts).ToList()))
            .Append((options.CircuitChatHistory, Enumerable.Range(0, accounts).ToList()))
            .ToList();
        var dataDirectory = Path.Combine(workDirectory, "circuits");
        var database = await BenchDatabase.CreateAsync(Path.Combine(dataDirectory, "template", BenchDatabase.FileName), accounts, specs);
        database.CopyTo(Path.Combine(dataDirectory, "run"));
        await using var server = await ServerProcess.StartAsync(ServerKind.DuckChat, options, Path.Combine(dataDirectory, "run"));
        await using var fleet = new CircuitFleet(server, database);
        var clock = Stopwatch.StartNew();
        await fleet.SignInAsync(Enumerable.Range(0, accounts));
        log.WriteLine($"M2 {accounts} accounts signed in in {clock.Elapsed.TotalSeconds:F0} s");
        var messages = 0;
        var steps = new List<CircuitStep>();
        var openChats = 0;
        var pastCapacity = false;
        foreach (var size in options.CircuitSteps.Order())
        {
            var active = size / viewers;
            var tabs = Enumerable.Range(openChats, active - openChats).SelectMany(c => specs[c].Item2.Select(account => (c, account))).ToList();
            openChats = active;
            if (pastCapacity)
            {
                // A smaller step already fell behind without bound: more circuits can only fall further behind, and
                // its backlog would slow every later step's opening. These steps measure the idle server only.
                var waited = await WaitForServerIdleAsync(server);
                log.WriteLine($"M2 waited {waited.TotalSeconds:F0} s for the server to work off the previous step's backlog");
            }

            var rate = pastCapacity ? 0 : options.CircuitMessagesPerSecond;
            var step = await MeasureAsync("team", server, fleet, tabs, accounts, rate,
                options.CircuitWarmupSeconds, options.CircuitMeasureSeconds, sender: i => (i % active, i / active % viewers), messages, log);
            steps.Add(step);
            pastCapacity |= step.P99 > PastCapacityMs || step.Missing > 0;
            messages += (int)((options.CircuitWarmupSeconds + options.CircuitMeasureSeconds) * rate);
        }

        if (options.BroadcastViewers > 0)
        {
            await fleet.CloseAllAsync();
            await WaitForServerCircuitsAsync(server, 0);
            var tabs = Enumerable.Range(0, options.BroadcastViewers).Select(t => (chats, t % accounts)).ToList();
            steps.Add(await MeasureAsync("broadcast", server, fleet, tabs, accounts, options.BroadcastMessagesPerSecond, options.CircuitWarmupSeconds,
                options.BroadcastMeasureSeconds, sender: _ => (chats, 0), messages, log));
        }

        return steps;
    }

    private static async Task<CircuitStep> MeasureAsync(
        string name, ServerProcess server, CircuitFleet fleet, List<(int Chat, int Account)> newTabs, int accounts, double perSecond,
        int warmupSeconds, int measureSeconds, Func<int, (int Chat, int Viewer)> sender, int firstMessage, TextWriter log)
    {
        // Message numbers go on from step to step: a circuit notes each marker once.
        var total = (int)((warmupSeconds + measureSeconds) * perSecond);
        var opening = Stopwatch.StartNew();
        await fleet.OpenAsync(newTabs, BrowserProfile.HeadlessChromium);
        var openSeconds = opening.Elapsed.TotalSeconds;
        await Task.Delay(Settle);
        var heap = await server.HeapBytesAsync();
        var rss = server.RssBytes();
        var counts = await server.CircuitCountsAsync();
        var errorsBefore = server.LoggedErrors.Count;

        var byChat = fleet.Circuits.GroupBy(c => c.Chat).ToDictionary(g => g.Key, g => g.Select(c => c.Circuit).ToList());
        if (perSecond <= 0)
        {
            var idle = await IdleCpuAsync(server, TimeSpan.FromSeconds(measureSeconds));
            log.WriteLine($"M2 {name,-9} {fleet.Circuits.Count,5} circuits ({byChat.Count} chats) opened in {openSeconds:F0} s: idle heap {heap / 1048576.0:N0} MB, " +
                          $"RSS {rss / 1048576.0:N0} MB; idle only (a smaller step was past capacity): CPU server {idle.Server:F0} %, client {idle.Client:F0} %");
            return new CircuitStep(
                name, fleet.Circuits.Count, byChat.Count, Math.Min(accounts, fleet.Circuits.Select(c => c.Account).Distinct().Count()), openSeconds,
                fleet.FailedToOpen.Count, heap, rss, counts.Active, counts.Connected, 0, 0, [], 0,
                fleet.Circuits.Count(c => c.Circuit.Failure is not null), idle.Server, idle.Client, [.. server.LoggedErrors.Skip(errorsBefore)]);
        }

        var warmup = (int)(warmupSeconds * perSecond);
        var sent = new List<Sent>(total);
        var sends = new List<Task>(total);
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        double serverCpu = 0, clientCpu = 0, measureStart = 0;
        var run = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed);
            }

            if (i == warmup)
            {
                (serverCpu, clientCpu, measureStart) = (server.CpuSeconds(), ServerProcess.CpuSecondsOf(Environment.ProcessId), BenchClock.NowMs);
            }

            var (chat, viewer) = sender(i);
            var circuits = byChat.GetValueOrDefault(chat) ?? [];
            if (circuits.Count == 0)
            {
                continue;
            }

            var from = circuits[viewer % circuits.Count];
            var key = string.Create(CultureInfo.InvariantCulture, $"{(i < warmup ? "warm" : "live")}-{firstMessage + i};");
            var at = BenchClock.NowMs;
            sends.Add(from.SendAsync($"{key} the quick brown duck waddles over the lazy dog", CancellationToken.None));
            if (i >= warmup)
            {
                sent.Add(new Sent(key, chat, from, at));
            }
        }

        var seconds = (BenchClock.NowMs - measureStart) / 1000;
        serverCpu = (server.CpuSeconds() - serverCpu) / seconds * 100;
        clientCpu = (ServerProcess.CpuSecondsOf(Environment.ProcessId) - clientCpu) / seconds * 100;
        var failedSends = 0;
        foreach (var send in sends)
        {
            try
            {
                await send;
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                failedSends++;
            }
        }

        var (latencies, missing) = await DeliveriesAsync(sent, byChat);
        var step = new CircuitStep(
            name, fleet.Circuits.Count, byChat.Count, Math.Min(accounts, fleet.Circuits.Select(c => c.Account).Distinct().Count()), openSeconds,
            fleet.FailedToOpen.Count, heap, rss, counts.Active, counts.Connected, sent.Count, sent.Count / seconds, latencies, missing,
            fleet.Circuits.Count(c => c.Circuit.Failure is not null), serverCpu, clientCpu,
            [.. server.LoggedErrors.Skip(errorsBefore), .. failedSends > 0 ? [$"{failedSends} sends failed"] : Array.Empty<string>()]);
        log.WriteLine($"M2 {name,-9} {step.Circuits,5} circuits ({step.Chats} chats) opened in {openSeconds:F0} s: idle heap {heap / 1048576.0:N0} MB, " +
                      $"RSS {rss / 1048576.0:N0} MB; {step.SentPerSecond:F0} msg/s: p50 {step.P50:F1} ms, p99 {step.P99:F1} ms, {missing} missing, " +
                      $"{step.Dropped} dropped, {step.FailedToOpen} failed to open; CPU server {serverCpu:F0} %, client {clientCpu:F0} %; {step.ServerErrors.Count} errors");
        return step;
    }

    /// <summary>Waits for every other viewer of each message's chat to see it (or the timeout): latencies and missing pairs.</summary>
    private static async Task<(List<double> Latencies, int Missing)> DeliveriesAsync(List<Sent> sent, Dictionary<int, List<BlazorCircuit>> byChat)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var latencies = new List<double>();
            var missing = 0;
            var seen = byChat.Values.SelectMany(c => c).ToDictionary(c => c, c => c.Seen.ToDictionary(s => s.Key, s => s.AtMs));
            foreach (var message in sent)
            {
                foreach (var viewer in byChat[message.Chat].Where(v => v != message.Sender))
                {
                    if (seen[viewer].TryGetValue(message.Key, out var at))
                    {
                        latencies.Add(at - message.AtMs);
                    }
                    else
                    {
                        missing++;
                    }
                }
            }

            if (missing == 0 || clock.Elapsed > DrainTimeout)
            {
                return (latencies, missing);
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Server and client CPU, as % of one core, over <paramref name="window"/> with nothing sent.</summary>
    private static async Task<(double Server, double Client)> IdleCpuAsync(ServerProcess server, TimeSpan window)
    {
        var (serverBefore, clientBefore) = (server.CpuSeconds(), ServerProcess.CpuSecondsOf(Environment.ProcessId));
        await Task.Delay(window);
        return ((server.CpuSeconds() - serverBefore) / window.TotalSeconds * 100,
            (ServerProcess.CpuSecondsOf(Environment.ProcessId) - clientBefore) / window.TotalSeconds * 100);
    }

    /// <summary>Waits (up to two minutes) for the server to work off what it still has queued: under half a core for a second.</summary>
    /// <returns>How long it waited.</returns>
    private static async Task<TimeSpan> WaitForServerIdleAsync(ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var before = server.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (server.CpuSeconds() - before < 0.5)
            {
                break;
            }
        }

        return clock.Elapsed;
    }

    private static async Task WaitForServerCircuitsAsync(ServerProcess server, long expected)
    {
        var clock = Stopwatch.StartNew();
        while ((await server.CircuitCountsAsync()).Active > expected && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
        }
    }
}
