using System.Globalization;
using System.Text;
using DuckChat.Bench.SendPath;

namespace DuckChat.Bench.Harness;

/// <summary>The human-readable report: machine, method, targets, then each measurement's table.</summary>
public static class MarkdownReport
{
    public static string Write(BenchReport report, string plotFileName)
    {
        var run = report.Run;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# DuckChat benchmarks, {run.StartedAt:yyyy-MM-dd} ({run.Size} run)");
        md.AppendLine();
        if (run.Size != "full")
        {
            md.AppendLine("> **Smoke-size run**: it proves the harness works end to end; its numbers mean nothing.");
            md.AppendLine();
        }

        md.AppendLine("## Machine and method");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- {run.Cpu}, {run.Cores} cores, {run.Memory}; {run.Os}; {run.Runtime}; Chromium {run.Browser}; took {run.Duration:h\\:mm\\:ss}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- {run.Pinning}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Both servers: `dotnet <app>.dll`, ASPNETCORE_ENVIRONMENT={run.Environment}, default Kestrel settings, HTTP on 127.0.0.1, server GC (Web SDK default).");
        md.AppendLine("- Baseline: a bare SignalR hub (JSON protocol, official JS client) that saves each message through DuckChat's own `ChatStore` on SQLite " +
                      "(same EF Core queries and transaction) and broadcasts it to the chat's group; no sign-in, membership checks, idempotency lookup or rate limit.");
        md.AppendLine("- DuckChat settings changed for the bench (all else as shipped): " +
                      string.Join(", ", run.DuckChatSettings.Select(s => $"`{s.Key}={s.Value}`")) + ".");
        md.AppendLine(CultureInfo.InvariantCulture, $"- M1: {run.Options.Messages} messages at {run.Options.MessagesPerSecond} per second after {run.Options.WarmupMessages} warm-up messages; " +
                      $"latency from the sender's Enter to the message in each receiver's page (MutationObserver; all pages share the browser's clock); " +
                      $"{run.Options.Rounds} rounds, DuckChat and baseline alternating, each on a fresh copy of the seeded database. Every person has their own browser profile.");
        md.AppendLine("- M3: server process CPU time (utime+stime from /proc) over the measured window ÷ messages delivered to receivers.");
        md.AppendLine("- M4: live managed bytes after a full blocking collection (a startup hook loaded only by the harness) and VmRSS; pages share one profile, `--renderer-process-limit=4`.");
        md.AppendLine("- M6: navigation start to the newest message in the page (DuckChat prerenders it) and to the composer being ready; older page: click to rows in the page. First load of each chat not counted.");
        md.AppendLine();

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| metric | target | measured | |");
        md.AppendLine("|---|---|---|---|");
        foreach (var target in Targets.Judge(report))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {target.Metric} | {target.Target} | {target.Measured} | {target.Met switch { true => "met", false => "**missed**", null => "n/a" }} |");
        }

        md.AppendLine();
        WriteLatency(md, report, plotFileName);
        WriteMemory(md, report);
        WriteHistory(md, report);
        WriteBus(md, report);
        if (report.SendPath is { } sendPath)
        {
            SendPathReport.Write(md, sendPath);
        }

        CircuitsReport.WriteFaithfulness(md, report);
        CircuitsReport.WriteCircuits(md, report);
        UploadsReport.Write(md, report);
        return md.ToString();
    }

    private static void WriteLatency(StringBuilder md, BenchReport report, string plotFileName)
    {
        if (report.Latency.Count == 0)
        {
            return;
        }

        md.AppendLine("## M1 latency and M3 CPU");
        md.AppendLine();
        md.AppendLine("| chat | receivers | server | p50 ms | p99 ms | per round p50/p99 | missing | CPU µs per delivery |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var scenario in Targets.LatencyScenarios(report))
        {
            foreach (var pooled in new[] { scenario.DuckChat, scenario.Baseline })
            {
                var rounds = report.Latency.Where(r => r.Server == pooled.Server && r.Receivers == pooled.Receivers && r.ChatMessages == pooled.ChatMessages);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {pooled.ChatMessages:N0} | {pooled.Receivers} | {pooled.Server} | {pooled.P50:F1} | {pooled.P99:F1} | " +
                    $"{string.Join(", ", rounds.Select(r => $"{r.P50:F1}/{r.P99:F1}"))} | {pooled.Missing} | {pooled.CpuMicrosecondsPerDelivery:F0} |");
            }

            md.AppendLine(CultureInfo.InvariantCulture,
                $"| | | **ratio** (median of rounds) | {scenario.P50Ratio:F2}× | {scenario.P99Ratio:F2}× | | | {scenario.CpuRatio:F2}× |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![Latency distributions]({plotFileName})");
        md.AppendLine();
    }

    private static void WriteMemory(StringBuilder md, BenchReport report)
    {
        if (report.Memory.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## M4 memory per open chat page ({report.Memory[0].ChatMessages}-message chat)");
        md.AppendLine();
        md.AppendLine("| server | pages | managed heap KB | RSS KB |");
        md.AppendLine("|---|---|---|---|");
        foreach (var run in report.Memory)
        {
            foreach (var point in run.Points)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Server} | {point.Pages} | {point.HeapBytes / 1024.0:N0} | {point.RssBytes / 1024.0:N0} |");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Server} | **per page** | **{run.HeapBytesPerPage / 1024:N1}** | **{run.RssBytesPerPage / 1024:N1}** |");
        }

        md.AppendLine();
    }

    private static void WriteHistory(StringBuilder md, BenchReport report)
    {
        if (report.History.Count == 0)
        {
            return;
        }

        md.AppendLine("## M6 history");
        md.AppendLine();
        md.AppendLine("| server | messages | newest shown p50/p99 ms | composer ready p50/p99 ms | older page p50/p99 ms |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var run in report.History)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Server} | {run.ChatMessages:N0} | {P(run.OpenMs)} | {P(run.InteractiveMs)} | {P(run.OlderMs)} |");
        }

        md.AppendLine();
    }

    private static void WriteBus(StringBuilder md, BenchReport report)
    {
        if (report.Bus.Count == 0)
        {
            return;
        }

        md.AppendLine("## M5 in-process bus (BenchmarkDotNet)");
        md.AppendLine();
        md.AppendLine("| handlers | subscribers | ns per publish | ns per subscriber | bytes per publish |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var bus in report.Bus.OrderBy(b => b.Handler).ThenBy(b => b.Subscribers))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {bus.Handler} | {bus.Subscribers} | {bus.MeanNs:N0} | {bus.NsPerSubscriber:N1} | {bus.BytesPerPublish:N0} |");
        }

        md.AppendLine();
    }

    private static string P(IReadOnlyList<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stats.Percentile(values, 50):F0} / {Stats.Percentile(values, 99):F0}");
}
