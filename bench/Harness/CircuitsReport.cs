using System.Globalization;
using System.Text;

namespace DuckChat.Bench.Harness;

/// <summary>The report's sections for the circuit client: its faithfulness check and the M2 table.</summary>
public static class CircuitsReport
{
    public static void WriteFaithfulness(StringBuilder md, BenchReport report)
    {
        if (report.Faithfulness.Count == 0)
        {
            return;
        }

        md.AppendLine("## Faithfulness of the circuit client");
        md.AppendLine();
        md.AppendLine("One chat; a Chromium page sends (Enter in the composer); N client circuits and up to five Chromium pages receive, " +
                      "opened alternately. Latency from the Enter to the WebSocket frame carrying the message at each receiver (Chromium: a " +
                      "message listener added before SignalR's; Chromium's time to its DOM beside it), the client's times converted " +
                      "to Chromium's clock (offset from the shortest of 30 round trips; residual below). JS interop: every call the server made " +
                      "on a Chromium tab and on a client tab, with the answers, compared as multisets. Client cores busy: the cores the circuits " +
                      "and Chromium share, over the measured sends (a Chromium page waiting for a core arrives late).");
        md.AppendLine();
        md.AppendLine("| circuits | browsers | messages | circuits p50/p99 ms | browsers p50/p99 ms | browsers, to DOM, p50/p99 ms | p50 ratio | p99 ratio | missing c/b | out of order c/b | server circuits active/connected | server errors | JS calls, differences | clock residual ms | client cores busy % | verdict |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in report.Faithfulness)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Circuits} | {run.Browsers} | {run.Messages} | {P(run.CircuitLatenciesMs)} | {P(run.BrowserLatenciesMs)} | {P(run.BrowserShownLatenciesMs)} | {run.P50Ratio:F2} | {run.P99Ratio:F2} | " +
                $"{run.CircuitMissing}/{run.BrowserMissing} | {run.CircuitsOutOfOrder}/{run.BrowsersOutOfOrder} | {run.ServerActiveCircuits}/{run.ServerConnectedCircuits} " +
                $"(of {run.Circuits + run.Browsers + 1}) | {run.ServerErrors.Count} | {run.JsCallsCompared}, {run.JsDifferences.Count} | {run.ClockResidualMs:F2} | {run.ClientCoresBusyPercent:F0} | " +
                $"{(run.Faithful ? "faithful" : "**not faithful**")} |");
        }

        foreach (var line in report.Faithfulness.SelectMany(r => r.JsDifferences.Concat(r.ServerErrors).Concat(r.CircuitFailures)).Distinct())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        md.AppendLine();
    }

    public static void WriteCircuits(StringBuilder md, BenchReport report)
    {
        if (report.Circuits.Count == 0)
        {
            return;
        }

        var options = report.Run.Options;
        md.AppendLine("## M2 many circuits (circuit client, no browser)");
        md.AppendLine();
        if (report.Faithfulness.Count > 0 && !report.Faithfulness.All(f => f.Faithful))
        {
            md.AppendLine("> **The faithfulness check above failed in this run: these numbers are not evidence of how browsers would fare.**");
            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture,
            $"Team: chats of {options.ViewersPerChat} viewers (different people; a person holds up to {options.TabsPerAccount} tabs, one looked at, " +
            $"the others hidden), each chat with {options.CircuitChatHistory} messages, circuits added step by step on one server; " +
            $"{options.CircuitMessagesPerSecond:0.#} messages per second in total over all chats in turn, each sent by one of its chat's viewers " +
            $"(SendTypedTextAsync, as the composer's script{(options.CircuitTyping ? ", each after a typing signal from its sender" : "")}); {options.CircuitWarmupSeconds} s warm-up, {options.CircuitMeasureSeconds} s measured. " +
            $"Broadcast: the team circuits closed, {options.BroadcastViewers:N0} tabs on one chat, one sending {options.BroadcastMessagesPerSecond:0.#} per second " +
            $"for {options.BroadcastMeasureSeconds} s. Latency: send to the render batch carrying the message at every other looked-at viewer (one clock); hidden tabs render no new rows (they catch up when shown), so they are load, not viewers. " +
            $"Memory: after a full blocking collection with the circuits idle. CPU: % of one core over the measured window. " +
            $"The client runs in the harness process (the client cores), the server alone on core 0. Every step's load runs on a drained server: " +
            $"after its circuits open, the harness waits until every message sent so far has reached every circuit that should show it and the " +
            $"server is quiet (under half a core for a second), at most {options.CircuitDrainCapSeconds} s; a step whose wait hit that cap is marked " +
            $"**undrained**, with what was still owed. So each step's p50/p99 are its own, even after an earlier step fell behind. A step's late " +
            $"deliveries count with their real latency: missing means not shown within {options.CircuitDrainCapSeconds} s of the step's last send.");
        md.AppendLine();
        md.AppendLine("| case | circuits | chats | accounts | open s | drained before load | failed to open | idle heap MB | idle RSS MB | server active/connected | msg/s | deliveries | p50 ms | p99 ms | missing | dropped | server CPU % | client CPU % | server errors |");
        md.AppendLine(string.Concat(Enumerable.Repeat("|---", 19)) + "|");
        foreach (var step in report.Circuits)
        {
            var load = step.Sent > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{step.SentPerSecond:F0} | {step.LatenciesMs.Count:N0} | {step.P50:F1} | {step.P99:F1} | {step.Missing}")
                : "idle only (no messages asked for) | | | |";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {step.Case} | {step.Circuits:N0} | {step.Chats} | {step.Accounts} | {step.OpenSeconds:F0} | {Drain(step)} | {step.FailedToOpen} | {step.IdleHeapBytes / 1048576.0:N0} | " +
                $"{step.IdleRssBytes / 1048576.0:N0} | {step.ServerActiveCircuits}/{step.ServerConnectedCircuits} | {load} | {step.Dropped} | " +
                $"{step.ServerCpuPercent:F0} | {step.ClientCpuPercent:F0} | {step.ServerErrors.Count} |");
        }

        var team = Team(report);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Largest step with p99 ≤ 200 ms and nothing lost: **{(LargestWithinTarget(report) is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "none")}** circuits. " +
            $"Managed heap per idle circuit (slope over the team steps): **{HeapPerCircuit(report) / 1024:N1} KB**; RSS {RssPerCircuit(report) / 1024:N1} KB.");
        foreach (var line in team.Concat(report.Circuits).SelectMany(s => s.ServerErrors).Distinct().Take(20))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        md.AppendLine();
    }

    public static int? LargestWithinTarget(BenchReport report) =>
        Team(report).Where(s => s.Sent > 0 && s.P99 <= 200 && s.Missing == 0 && s.Dropped == 0 && s.FailedToOpen == 0).Select(s => (int?)s.Circuits).Max();

    public static double HeapPerCircuit(BenchReport report) =>
        Stats.Slope(Team(report).Select(s => ((double)s.Circuits, (double)s.IdleHeapBytes)).ToList());

    public static double RssPerCircuit(BenchReport report) =>
        Stats.Slope(Team(report).Select(s => ((double)s.Circuits, (double)s.IdleRssBytes)).ToList());

    private static string Drain(CircuitStep step) => step.Drained
        ? string.Create(CultureInfo.InvariantCulture, $"yes, {step.DrainSeconds:F0} s")
        : string.Create(CultureInfo.InvariantCulture,
            $"**undrained** (cap, {step.DrainSeconds:F0} s: {step.OwedAtLoad} deliveries owed{(step.QuietAtLoad ? "" : ", server not yet quiet")})");

    private static List<CircuitStep> Team(BenchReport report) => report.Circuits.Where(s => s.Case == "team").ToList();

    private static string P(IReadOnlyList<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stats.Percentile(values, 50):F1} / {Stats.Percentile(values, 99):F1}");
}
