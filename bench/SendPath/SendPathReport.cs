using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DuckChat.Bench.SendPath;

/// <summary>The send path's section of the report (also printed on its own by the standalone run).</summary>
public static partial class SendPathReport
{
    private const int ShownSqlLength = 160;

    public static void Write(StringBuilder md, SendPathRun run)
    {
        var first = run.Cases[0];
        md.AppendLine("## Send path (issue 15, 5a)");
        md.AppendLine();
        if (run.Size != "full")
        {
            md.AppendLine("> **Smoke-size send path**: it proves the measurement works; its numbers mean nothing.");
            md.AppendLine();
        }

        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The app's own services in one process (its Program, Production settings, no listener, server GC) on a temporary SQLite file " +
            $"(SQLite {run.SqliteVersion}, journal {run.JournalMode}, synchronous {run.Synchronous}); each sender a tab of their own (a circuit's " +
            $"services, signed in with a live sign-in) sending through `ChatService.SendAsync` with a fresh client message id, one send after " +
            $"another, so the account and membership checks run on every send; nobody subscribed to the bus (no rendering). " +
            $"{run.WarmupSends} warm-up sends per case, then {first.Sends:N0} measured, split over the senders; every chat is a group of all " +
            $"{run.Cases.Max(c => c.Senders)} senders. ") +
            "**CPU** is the process's user + system time over the window ÷ sends (every thread: the app's, the collector's, the thread pool's), " +
            "so it leaves out waiting for the disk; **allocated** is `GC.GetTotalAllocatedBytes` over the window ÷ sends. **Statements** are what " +
            "SQLite itself started on the file (its trace hook on every connection to it), BEGIN, COMMIT and SAVEPOINT included, ÷ sends; " +
            "**triggers** fired and statements run inside them are named and counted apart; **EF commands** are what an EF Core interceptor on the " +
            "app's contexts saw. Anything else that touched the file in the window is counted too. **Wall** time per send and sends per second " +
            "include fsync and waiting for SQLite's one writer: they are not CPU. " +
            "Settings changed for the bench: " + string.Join(", ", run.Settings.Select(s => $"`{s.Key}={s.Value}`")) + ".");
        md.AppendLine();
        Row(md, "case", "senders", "chats", "sends", "failed", "CPU µs per send (user + sys)", "KB allocated per send", "SQLite statements per send",
            "by verb, per send", "triggers fired per send (statements in them)", "EF commands per send", "wall per send p50 / p99 ms (incl. fsync)",
            "sends/s (incl. fsync)", "GCs gen 0/1/2");
        Row(md, [.. Enumerable.Repeat("---", 14)]);
        foreach (var c in run.Cases)
        {
            Row(md, c.Case, N(c.Senders), N(c.Chats), N(c.Sends), N(c.Failed),
                F($"{c.CpuMicrosecondsPerSend:N0} ({c.UserCpuSeconds * 1e6 / c.Sends:N0} + {c.SystemCpuSeconds * 1e6 / c.Sends:N0})"),
                F($"{c.AllocatedBytesPerSend / 1024:N1}"), F($"**{c.StatementsPerSend:0.##}**"), ByVerb(c), Triggers(c), F($"{c.EfCommandsPerSend:0.##}"),
                F($"{c.P50Ms:F2} / {c.P99Ms:F2}"), F($"{c.SendsPerSecond:N0}"), F($"{c.Gen0Collections}/{c.Gen1Collections}/{c.Gen2Collections}"));
        }

        foreach (var failure in run.Cases.Where(c => c.FirstFailure is not null))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {failure.Case}: {failure.Failed} sends failed, the first with: {failure.FirstFailure}");
        }

        md.AppendLine();
        WriteStatements(md, run);
    }

    /// <summary>Every distinct statement SQLite started, per send in each case: what the counts above are made of.</summary>
    private static void WriteStatements(StringBuilder md, SendPathRun run)
    {
        var rows = run.Cases.SelectMany(c => c.Statements).Select(s => (s.Kind, s.Trigger, s.Sql)).Distinct()
            .OrderBy(r => run.Cases[0].Statements.FirstOrDefault(s => (s.Kind, s.Trigger, s.Sql) == r) is { } inFirst ? -inFirst.Count : 0)
            .ToList();
        md.AppendLine("Statements per send, as SQLite started them (text as prepared; white space collapsed):");
        md.AppendLine();
        Row(md, ["statement", .. run.Cases.Select(c => c.Case)]);
        Row(md, [.. Enumerable.Repeat("---", run.Cases.Count + 1)]);
        foreach (var (kind, trigger, sql) in rows)
        {
            var what = kind switch
            {
                StatementKind.TriggerFired => $"trigger **{trigger}** fired",
                StatementKind.InTrigger => $"in trigger {trigger ?? "(none: SQL run by a function)"}: `{Shown(sql)}`",
                _ => $"`{Shown(sql)}`",
            };
            var counts = run.Cases.Select(c =>
                (c.Statements.FirstOrDefault(s => s.Kind == kind && s.Trigger == trigger && s.Sql == sql)?.Count ?? 0) / (double)c.Sends);
            Row(md, [what, .. counts.Select(n => n.ToString("0.###", CultureInfo.InvariantCulture))]);
        }

        md.AppendLine();
    }

    private static void Row(StringBuilder md, params string[] cells) => md.AppendLine($"| {string.Join(" | ", cells)} |");

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(FormattableString value) => FormattableString.Invariant(value);

    private static string ByVerb(SendPathResult c) => string.Join(", ",
        c.Statements.Where(s => s.Kind == StatementKind.Statement).GroupBy(s => s.Verb)
            .Select(g => (Verb: g.Key, PerSend: g.Sum(s => s.Count) / (double)c.Sends))
            .OrderByDescending(v => v.PerSend)
            .Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Verb} {v.PerSend:0.##}")));

    private static string Triggers(SendPathResult c)
    {
        var fired = c.Statements.Where(s => s.Kind == StatementKind.TriggerFired).ToList();
        return fired.Count == 0
            ? "none"
            : string.Join(", ", fired.Select(t => string.Create(CultureInfo.InvariantCulture,
                $"{t.Trigger} {t.Count / (double)c.Sends:0.##} ({c.Statements.Where(s => s.Kind == StatementKind.InTrigger && s.Trigger == t.Trigger).Sum(s => s.Count) / (double)c.Sends:0.##})")));
    }

    private static string Shown(string sql)
    {
        var oneLine = WhiteSpace().Replace(sql, " ").Trim().Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return oneLine.Length <= ShownSqlLength ? oneLine : string.Concat(oneLine.AsSpan(0, ShownSqlLength), "…");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
