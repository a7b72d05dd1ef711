using System.Globalization;
using System.Security;
using System.Text;

namespace DuckChat.Bench.Harness;

/// <summary>An SVG of M1's latency distributions: one panel per scenario, the cumulative share of deliveries by latency, per server.</summary>
public static class LatencyPlot
{
    private const int Width = 640, PanelHeight = 240, Left = 60, Right = 20, Top = 40, Bottom = 40;
    private static readonly Dictionary<ServerKind, string> Colours = new() { [ServerKind.DuckChat] = "#1f77b4", [ServerKind.Baseline] = "#ff7f0e" };

    public static string Write(BenchReport report)
    {
        var scenarios = Targets.LatencyScenarios(report).ToList();
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Math.Max(1, scenarios.Count) * PanelHeight}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (var i = 0; i < scenarios.Count; i++)
        {
            Panel(svg, scenarios[i], i * PanelHeight);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, Targets.LatencyScenario scenario, int y0)
    {
        var runs = new[] { scenario.DuckChat, scenario.Baseline };
        // Up to the larger p99.9, so one outlier does not flatten the curves.
        var maxMs = Math.Max(1, runs.Max(r => Stats.Percentile(r.LatenciesMs, 99.9)) * 1.1);
        var (plotWidth, plotHeight) = (Width - Left - Right, PanelHeight - Top - Bottom);
        double X(double ms) => Left + Math.Min(ms, maxMs) / maxMs * plotWidth;
        double Y(double share) => y0 + Top + (1 - share) * plotHeight;

        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{y0 + 20}\" font-weight=\"bold\">{scenario.Receivers} receiver(s), chat of {scenario.ChatMessages:N0} messages</text>\n"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{y0 + Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>\n"));
        for (var tick = 0; tick <= 4; tick++)
        {
            var ms = maxMs * tick / 4;
            svg.Append(Invariant($"<text x=\"{X(ms):F1}\" y=\"{y0 + PanelHeight - Bottom + 16}\" text-anchor=\"middle\">{ms:0.#}</text>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(tick / 4.0) + 4:F1}\" text-anchor=\"end\">{tick * 25}%</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{Left + plotWidth / 2}\" y=\"{y0 + PanelHeight - 6}\" text-anchor=\"middle\">latency, ms (share of deliveries at or below)</text>\n"));
        for (var r = 0; r < runs.Length; r++)
        {
            var sorted = runs[r].LatenciesMs.Order().ToArray();
            var points = string.Join(' ', sorted.Select((ms, i) => Invariant($"{X(ms):F1},{Y((i + 1.0) / sorted.Length):F1}")));
            var colour = Colours[runs[r].Server];
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Width - Right - 200}\" y=\"{y0 + 14 + r * 16}\" fill=\"{colour}\">{SecurityElement.Escape(runs[r].Server.ToString())}: p50 {runs[r].P50:F1}, p99 {runs[r].P99:F1}</text>\n"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
