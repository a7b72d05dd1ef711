using System.Diagnostics;
using System.Globalization;
using DuckChat.Bench.Circuits;

namespace DuckChat.Bench.Harness;

/// <summary>
/// M2: thousands of circuits from the circuit client, no browser. Team case: chats of ten viewers (each a
/// different person; a person holds up to twenty tabs, one of them looked at), every chat active, the circuits
/// added step by step (100 ... 5,000) on one server; at each step, once the server has drained (every message sent so
/// far shown by every circuit that should show it, and the server quiet, with a cap), the idle server's memory, then
/// messages at 100 a second in total, each sent by one of its chat's viewers as the composer sends. So every step's
/// load runs on a drained server and reports its own latency, however far an earlier step fell behind. Broadcast case:
/// the step circuits closed, 1,000 tabs on one chat, one of them sending at 2 a second. Latency is from the send to
/// the render batch carrying the message at each other viewer, on the harness's one clock.
/// </summary>
public static class CircuitsBench
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>How the server was when a step's load began: how long the harness waited, deliveries still owed, and whether it was quiet.</summary>
    private sealed record Drain(double Seconds, int Owed, bool Quiet);

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
        var backlog = new DeliveryBacklog();
        var cap = TimeSpan.FromSeconds(options.CircuitDrainCapSeconds);
        foreach (var size in options.CircuitSteps.Order())
        {
            var active = size / viewers;
            var tabs = Enumerable.Range(openChats, active - openChats).SelectMany(c => specs[c].Item2.Select(account => (c, account))).ToList();
            openChats = active;
            var step = await MeasureAsync("team", server, fleet, backlog, cap, tabs, accounts, options.CircuitMessagesPerSecond,
                options.CircuitWarmupSeconds, options.CircuitMeasureSeconds, sender: i => (i % active, i / active % viewers), messages, log, options.CircuitTyping);
            steps.Add(step);
            messages += (int)((options.CircuitWarmupSeconds + options.CircuitMeasureSeconds) * options.CircuitMessagesPerSecond);
        }

        if (options.BroadcastViewers > 0)
        {
            // The team tabs close: nothing is owed to them any more, but the server works off what it was doing first.
            await fleet.CloseAllAsync();
            await WaitForServerCircuitsAsync(server, 0);
            var tabs = Enumerable.Range(0, options.BroadcastViewers).Select(t => (chats, t % accounts)).ToList();
            steps.Add(await MeasureAsync("broadcast", server, fleet, new DeliveryBacklog(), cap, tabs, accounts, options.BroadcastMessagesPerSecond,
                options.CircuitWarmupSeconds, options.BroadcastMeasureSeconds, sender: _ => (chats, 0), messages, log));
        }

        return steps;
    }

    private static async Task<CircuitStep> MeasureAsync(
        string name, ServerProcess server, CircuitFleet fleet, DeliveryBacklog backlog, TimeSpan cap, List<(int Chat, int Account)> newTabs, int accounts,
        double perSecond, int warmupSeconds, int measureSeconds, Func<int, (int Chat, int Viewer)> sender, int firstMessage, TextWriter log, bool typing = false)
    {
        // Message numbers go on from step to step: a circuit notes each marker once.
        var total = (int)((warmupSeconds + measureSeconds) * perSecond);
        var opening = Stopwatch.StartNew();
        await fleet.OpenAsync(newTabs, BrowserProfile.HeadlessChromium);
        var openSeconds = opening.Elapsed.TotalSeconds;
        var drain = await DrainAsync(server, backlog, cap);
        if (drain.Owed > 0 || !drain.Quiet)
        {
            log.WriteLine($"M2 {name,-9} {fleet.Circuits.Count,5} circuits: the load starts undrained after {drain.Seconds:F0} s (the cap): " +
                          $"{drain.Owed} deliveries still owed, server {(drain.Quiet ? "quiet" : "not yet quiet")}");
        }

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
                          $"RSS {rss / 1048576.0:N0} MB; idle only (no messages asked for): CPU server {idle.Server:F0} %, client {idle.Client:F0} %");
            return new CircuitStep(
                name, fleet.Circuits.Count, byChat.Count, Math.Min(accounts, fleet.Circuits.Select(c => c.Account).Distinct().Count()), openSeconds,
                drain.Seconds, drain.Owed, drain.Quiet, fleet.FailedToOpen.Count, heap, rss, counts.Active, counts.Connected, 0, 0, 0, [], 0,
                fleet.Circuits.Count(c => c.Circuit.Failure is not null), idle.Server, idle.Client, [.. server.LoggedErrors.Skip(errorsBefore)]);
        }

        var warmup = (int)(warmupSeconds * perSecond);
        var sent = new List<SentMessage>(total);
        var measured = new List<SentMessage>(total);
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
            if (typing)
            {
                sends.Add(from.SignalTypingAsync(CancellationToken.None)); // one typing signal per message, as a person types it
            }

            var at = BenchClock.NowMs;
            sends.Add(from.SendAsync($"{key} the quick brown duck waddles over the lazy dog", CancellationToken.None));
            // A hidden tab shows no new rows (it catches up when shown): the looked-at tabs are the ones that must show it.
            sent.Add(new SentMessage(key, from, at, [.. circuits.Where(c => c != from && c.Attentive)]));
            if (i >= warmup)
            {
                measured.Add(sent[^1]);
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

        // Late deliveries count with their real latency, up to the cap; what is still owed then is missing here, and owed to the next step's drain.
        backlog.Add(sent);
        var (latencies, missing) = await backlog.DeliveriesAsync(measured, cap);
        var step = new CircuitStep(
            name, fleet.Circuits.Count, byChat.Count, Math.Min(accounts, fleet.Circuits.Select(c => c.Account).Distinct().Count()), openSeconds,
            drain.Seconds, drain.Owed, drain.Quiet, fleet.FailedToOpen.Count, heap, rss, counts.Active, counts.Connected, measured.Count,
            measured.Count / seconds, measured.Sum(m => m.Viewers.Count), latencies, missing,
            fleet.Circuits.Count(c => c.Circuit.Failure is not null), serverCpu, clientCpu,
            [.. server.LoggedErrors.Skip(errorsBefore), .. failedSends > 0 ? [$"{failedSends} sends failed"] : Array.Empty<string>()]);
        log.WriteLine($"M2 {name,-9} {step.Circuits,5} circuits ({step.Chats} chats) opened in {openSeconds:F0} s, drained in {drain.Seconds:F0} s: idle heap {heap / 1048576.0:N0} MB, " +
                      $"RSS {rss / 1048576.0:N0} MB; {step.SentPerSecond:F0} msg/s: p50 {step.P50:F1} ms, p99 {step.P99:F1} ms, {missing} missing, " +
                      $"{step.Dropped} dropped, {step.FailedToOpen} failed to open; CPU server {serverCpu:F0} %, client {clientCpu:F0} %; {step.ServerErrors.Count} errors");
        return step;
    }

    /// <summary>Server and client CPU, as % of one core, over <paramref name="window"/> with nothing sent.</summary>
    private static async Task<(double Server, double Client)> IdleCpuAsync(ServerProcess server, TimeSpan window)
    {
        var (serverBefore, clientBefore) = (server.CpuSeconds(), ServerProcess.CpuSecondsOf(Environment.ProcessId));
        await Task.Delay(window);
        return ((server.CpuSeconds() - serverBefore) / window.TotalSeconds * 100,
            (ServerProcess.CpuSecondsOf(Environment.ProcessId) - clientBefore) / window.TotalSeconds * 100);
    }

    /// <summary>
    /// Waits for the server to work off what it owes before a step's load: every delivery of the messages sent so far,
    /// then under half a core for a second (what a message leaves behind besides its delivery: hidden tabs' titles, read
    /// positions), all within <paramref name="cap"/>.
    /// </summary>
    private static async Task<Drain> DrainAsync(ServerProcess server, DeliveryBacklog backlog, TimeSpan cap)
    {
        var clock = Stopwatch.StartNew();
        var owed = await backlog.DrainAsync(clock, cap);
        var quiet = false;
        while (!quiet && clock.Elapsed < cap)
        {
            var before = server.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(1));
            quiet = server.CpuSeconds() - before < 0.5;
        }

        return new Drain(clock.Elapsed.TotalSeconds, owed, quiet);
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
