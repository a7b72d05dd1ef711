namespace DuckChat.Bench.Harness;

/// <summary>One target of the issue and how this run did against it; Met is null where the run lacks the data.</summary>
public sealed record TargetResult(string Metric, string Target, string Measured, bool? Met);

/// <summary>The targets, judged from a report.</summary>
public static class Targets
{
    public static List<TargetResult> Judge(BenchReport report)
    {
        var results = new List<TargetResult>();
        var bigChat = report.Run.Options.BigChatMessages;
        if (Latency(report, 1, 0) is { } fresh)
        {
            results.Add(AtMost("M1 p50, 1 receiver, fresh chat", 5, fresh.DuckChat.P50, "ms"));
            results.Add(AtMost("M1 p99, 1 receiver, fresh chat", 10, fresh.DuckChat.P99, "ms"));
            results.Add(AtMost("M1 p50 ÷ baseline, 1 receiver, fresh", 1.25, fresh.P50Ratio, "×"));
            results.Add(AtMost("M1 p99 ÷ baseline, 1 receiver, fresh", 1.25, fresh.P99Ratio, "×"));
            if (Latency(report, 1, bigChat) is { } big)
            {
                results.Add(AtMost($"M1 p50, {bigChat:N0}-message chat ÷ fresh", 1.2, big.DuckChat.P50 / fresh.DuckChat.P50, "×"));
                results.Add(AtMost($"M1 p99, {bigChat:N0}-message chat ÷ fresh", 1.2, big.DuckChat.P99 / fresh.DuckChat.P99, "×"));
            }
        }

        foreach (var scenario in LatencyScenarios(report).Where(s => s.Receivers > 1))
        {
            results.Add(AtMost($"M1 p50 ÷ baseline, {scenario.Receivers} receivers, chat of {scenario.ChatMessages:N0}", 1.25, scenario.P50Ratio, "×"));
            results.Add(AtMost($"M1 p99 ÷ baseline, {scenario.Receivers} receivers, chat of {scenario.ChatMessages:N0}", 1.25, scenario.P99Ratio, "×"));
        }

        foreach (var scenario in LatencyScenarios(report))
        {
            results.Add(AtMost($"M3 CPU per delivery ÷ baseline, {scenario.Receivers} receiver(s), chat of {scenario.ChatMessages:N0}", 1.5, scenario.CpuRatio, "×"));
        }

        if (report.Memory.FirstOrDefault(m => m.Server == ServerKind.DuckChat) is { Points.Count: > 1 } memory)
        {
            results.Add(AtMost("M4 managed heap per open chat page", 150, memory.HeapBytesPerPage / 1024, "KB"));
            results.Add(AtMost("M4 RSS per open chat page", 500, memory.RssBytesPerPage / 1024, "KB"));
        }

        foreach (var handler in report.Bus.Select(b => b.Handler).Distinct())
        {
            var cases = report.Bus.Where(b => b.Handler == handler).OrderBy(b => b.Subscribers).ToList();
            results.Add(AtMost($"M5 ns per subscriber ({handler} handlers, {cases[^1].Subscribers} subscribers)", 2000, cases[^1].NsPerSubscriber, "ns"));
            // Queued delivery: the publishing path allocates nothing per subscriber; a handler that yields allocates
            // for itself, which is the handler's cost, not the bus's.
            if (handler == "Completed")
            {
                var perSubscriber = (double)(cases[^1].BytesPerPublish - cases[0].BytesPerPublish) / (cases[^1].Subscribers - cases[0].Subscribers);
                results.Add(AtMost($"M5 bytes allocated per subscriber ({handler} handlers)", 0, perSubscriber, "B"));
            }
        }

        foreach (var send in report.SendPath?.Cases ?? [])
        {
            results.Add(AtMost($"Server CPU per send, micro-benchmark, {send.Case}", 500, send.CpuMicrosecondsPerSend, "µs"));
            results.Add(AtMost($"SQL statements per send (SQLite's count, BEGIN/COMMIT included), {send.Case}", 3, send.StatementsPerSend, "statements"));
        }

        var history = report.History.Where(h => h.Server == ServerKind.DuckChat).OrderBy(h => h.ChatMessages).ToList();
        if (history.FirstOrDefault(h => h.ChatMessages == 10_000) is { } tenThousand)
        {
            results.Add(AtMost("M6 open a 10,000-message chat, p50 to newest message shown", 100, Stats.Median(tenThousand.OpenMs), "ms"));
        }

        if (history.Count > 1)
        {
            var (smallest, largest) = (history[0], history[^1]);
            results.Add(AtMost($"M6 open {largest.ChatMessages:N0} ÷ {smallest.ChatMessages:N0} messages (p50)", 1.5,
                Stats.Median(largest.OpenMs) / Stats.Median(smallest.OpenMs), "×"));
        }

        if (report.Faithfulness.Count > 0)
        {
            var faithful = report.Faithfulness.Count(f => f.Faithful);
            results.Add(new TargetResult("Circuit client faithful (same messages, order, p50 within 25 %, server sees circuits, same JS interop)",
                "every N", $"{faithful} of {report.Faithfulness.Count} N", faithful == report.Faithfulness.Count));
        }

        if (report.Circuits.Any(s => s.Case == "team"))
        {
            var largest = CircuitsReport.LargestWithinTarget(report);
            results.Add(new TargetResult("M2 largest N with p99 ≤ 200 ms, nothing lost", "≥ 5,000 circuits",
                largest?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "none", largest >= 5_000));
            results.Add(AtMost("M2 managed heap per idle circuit", 150, CircuitsReport.HeapPerCircuit(report) / 1024, "KB"));
        }

        return results;
    }

    /// <summary>DuckChat and the baseline in one M1 scenario: pooled over rounds, ratios as the median of per-round ratios.</summary>
    public sealed record LatencyScenario(int Receivers, int ChatMessages, LatencyRun DuckChat, LatencyRun Baseline, double P50Ratio, double P99Ratio, double CpuRatio);

    public static IEnumerable<LatencyScenario> LatencyScenarios(BenchReport report) =>
        report.Latency.GroupBy(r => (r.Receivers, r.ChatMessages)).Select(g => Scenario(g.Key.Receivers, g.Key.ChatMessages, g.ToList())).OfType<LatencyScenario>();

    private static LatencyScenario? Latency(BenchReport report, int receivers, int chatMessages) =>
        Scenario(receivers, chatMessages, report.Latency.Where(r => r.Receivers == receivers && r.ChatMessages == chatMessages).ToList());

    private static LatencyScenario? Scenario(int receivers, int chatMessages, List<LatencyRun> runs)
    {
        var duck = runs.Where(r => r.Server == ServerKind.DuckChat).ToList();
        var baseline = runs.Where(r => r.Server == ServerKind.Baseline).ToList();
        if (duck.Count == 0 || baseline.Count == 0)
        {
            return null;
        }

        var rounds = duck.Join(baseline, d => d.Round, b => b.Round, (d, b) => (Duck: d, Base: b)).ToList();
        return new LatencyScenario(receivers, chatMessages, Pool(duck), Pool(baseline),
            Stats.Median(rounds.Select(r => r.Duck.P50 / r.Base.P50)),
            Stats.Median(rounds.Select(r => r.Duck.P99 / r.Base.P99)),
            Stats.Median(rounds.Select(r => r.Duck.CpuMicrosecondsPerDelivery / r.Base.CpuMicrosecondsPerDelivery)));
    }

    /// <summary>All rounds of one server as one run: every latency, missing and CPU added up.</summary>
    private static LatencyRun Pool(List<LatencyRun> runs) => new(
        runs[0].Server, runs[0].Receivers, runs[0].ChatMessages, 0, runs.SelectMany(r => r.LatenciesMs).ToList(), runs.Sum(r => r.Missing), runs.Sum(r => r.CpuSeconds));

    private static TargetResult AtMost(string metric, double limit, double measured, string unit) =>
        new(metric, $"≤ {limit:0.##} {unit}", double.IsNaN(measured) ? "n/a" : $"{measured:0.##} {unit}",
            double.IsNaN(measured) ? null : measured <= limit);
}
