using System.Globalization;
using System.Text;

namespace DuckChat.Bench.Search;

/// <summary>The markdown section of a search run.</summary>
public static class SearchReport
{
    private const double P50Target = 50;
    private const double P99Target = 200;

    public static void Write(StringBuilder md, SearchRun run)
    {
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"## Search (issue 19){(run.Size == "tiny" ? " — TINY smoke run, numbers meaningless" : "")}").AppendLine();
        md.AppendLine(c, $"SQLite {run.SqliteVersion}; {run.Messages:N0} messages over {run.Chats:N0} group chats of {run.MembersPerChat} of {run.People:N0} people; " +
            $"mix: {string.Join(", ", run.Mix.Select(m => $"{m.Key} {100.0 * m.Value / run.Messages:F0} %"))}. {run.Runs} timed searches per class and person after {run.WarmupRuns} rounds of warm-up.").AppendLine();
        md.AppendLine(c, $"Seeding (prepared INSERT, 50,000 per transaction, SearchText by `SearchText.ForIndex`): {run.Messages:N0} messages in " +
            $"{run.SeedSeconds:F1} s ({Micro(run.SeedSeconds, run.Messages)} µs each); then the index in one rebuild.").AppendLine();

        md.AppendLine("| index | rebuild of all messages | index bytes | ÷ Messages table | ÷ rest of the database | ÷ SearchText bytes | ÷ Body bytes | shadow tables | database in use |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var layout in run.Layouts)
        {
            var s = layout.Sizes;
            var index = s.Index ?? s.IndexByPages;
            md.AppendLine(c, $"| detail={layout.Detail} | {layout.IndexSeconds:F1} s | {Mib(index)} (pages added by the rebuild: {Mib(s.IndexByPages)}) | " +
                $"{(s.MessagesTable is { } t ? Ratio(index, t) : "no dbstat")} ({(s.MessagesTable is { } m ? Mib(m) : "?")}; its indexes {(s.MessagesIndexes is { } i ? Mib(i) : "?")}) | " +
                $"{Ratio(index, s.Database - index)} ({Mib(s.Database - index)}) | {Ratio(index, s.SearchText)} ({Mib(s.SearchText)}) | {Ratio(index, s.BodyText)} ({Mib(s.BodyText)}) | " +
                $"{string.Join(", ", s.IndexParts.Select(p => $"{p.Key[(p.Key.IndexOf('_') + 1)..]} {Mib(p.Value)}"))} | {Mib(s.Database)} |");
        }

        md.AppendLine();
        md.AppendLine("| index | through | person | class | p50 | p99 | max | hits per page | outcomes | errors |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var layout in run.Layouts)
        {
            foreach (var l in layout.Latency)
            {
                var target = l.Class == SearchQueries.Substrings && l.Way == "service" ? (l.Errors == 0 && l.P50Ms <= P50Target && l.P99Ms <= P99Target ? " ✅" : " ❌") : "";
                md.AppendLine(c, $"| {l.Layout} | {l.Way} | {l.PersonChats} chats | {l.Class}{target} | {l.P50Ms:F1} ms | {l.P99Ms:F1} ms | {l.MaxMs:F1} ms | {l.MeanHits:F1} | " +
                    $"{string.Join(", ", l.Outcomes.Select(o => $"{o.Key} {o.Value}"))}{(l.RecentOnly ? " (recent only)" : "")} | {l.Errors}{(l.FirstError is { } e ? $": {e}" : "")} |");
            }
        }

        md.AppendLine();
        md.AppendLine(c, $"Targets (3–10 character substrings, over all of a person's chats): p50 ≤ {P50Target} ms, p99 ≤ {P99Target} ms (✅ met, ❌ missed).").AppendLine();
        md.AppendLine("Queries of each class, searched in turn:").AppendLine();
        foreach (var l in run.Layouts[0].Latency.Where(l => l.Person == "few" && l.Way == "service"))
        {
            md.AppendLine(c, $"- {l.Class}: {string.Join(" · ", l.Queries.Select(q => $"`{q}`"))}");
        }

        md.AppendLine().AppendLine("Timing channel (the person in 20 chats; terms searched in turn; no hits for any):").AppendLine();
        md.AppendLine("| index | term | where it is | messages | p50 | p99 | p50 − nowhere | p99 − nowhere | hits |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var layout in run.Layouts)
        {
            var nowhere = layout.Channel[0];
            foreach (var ch in layout.Channel)
            {
                md.AppendLine(c, $"| {layout.Detail} | `{ch.Term}` | {ch.Where} | {ch.Occurrences:N0} | {ch.P50Ms:F2} ms | {ch.P99Ms:F2} ms | " +
                    $"{ch.P50Ms - nowhere.P50Ms:+0.00;-0.00} ms | {ch.P99Ms - nowhere.P99Ms:+0.00;-0.00} ms | {ch.Hits} |");
            }
        }

        md.AppendLine();
        foreach (var layout in run.Layouts.Skip(1))
        {
            md.AppendLine(c, $"detail={layout.Detail}: {layout.PagesCompared} first pages compared with detail=full, " +
                $"{(layout.PagesDiffering.Count == 0 ? "all the same" : $"{layout.PagesDiffering.Count} differ: {string.Join("; ", layout.PagesDiffering)}")}; " +
                $"{layout.Latency.Sum(l => l.Errors)} searches failed.");
        }
    }

    private static string Micro(double seconds, int count) => count == 0 ? "-" : (seconds * 1e6 / count).ToString("F0", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    private static string Ratio(long a, long b) => b == 0 ? "-" : ((double)a / b).ToString("F2", CultureInfo.InvariantCulture);
}
