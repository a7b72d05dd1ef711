using System.Text.Json;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Deployment;

/// <summary>One PromQL query of the dashboard: a panel's target, or a template variable's query.</summary>
public sealed record DashboardQuery(string Source, string Expr)
{
    public override string ToString() => $"{Source}: {Expr}";
}

/// <summary>
/// The checked-in Grafana dashboard (deploy/grafana/duckchat.json) read as Grafana reads it: its panels (rows' own
/// panels included), their targets, and its template variables, with the queries as Grafana sends them to Prometheus.
/// </summary>
public sealed partial class GrafanaDashboard(JsonElement root)
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepoRoot, "deploy", "grafana", "duckchat.json");

    public JsonElement Root { get; } = root;

    public static GrafanaDashboard Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path));
        return new GrafanaDashboard(document.RootElement.Clone());
    }

    /// <summary>Every panel that is not a row (a collapsed row holds its panels inside it).</summary>
    public IReadOnlyList<JsonElement> Panels =>
        Root.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("type").GetString() == "row" && p.TryGetProperty("panels", out var inner) ? inner.EnumerateArray().ToList() : [p])
            .Where(p => p.GetProperty("type").GetString() != "row")
            .ToList();

    public IReadOnlyList<JsonElement> Variables => Root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();

    /// <summary>
    /// Every panel target's expression and every query variable's series selector, with Grafana's interval variables
    /// and the template variables filled in as Grafana fills them (a variable offering "All" by its <c>allValue</c>).
    /// For a data source scraped every <paramref name="scrapeInterval"/>, <c>$__rate_interval</c> is four scrape intervals.
    /// </summary>
    public IReadOnlyList<DashboardQuery> Queries(TimeSpan scrapeInterval)
    {
        var values = new Dictionary<string, string>
        {
            ["__rate_interval"] = $"{4 * scrapeInterval.TotalSeconds}s",
            ["__interval"] = $"{scrapeInterval.TotalSeconds}s",
        };
        foreach (var variable in Variables.Where(v => v.GetProperty("type").GetString() == "query"))
        {
            var all = variable.GetProperty("includeAll").GetBoolean() && variable.TryGetProperty("allValue", out var value) ? value.GetString() : null;
            Assert.True(all is { Length: > 0 }, $"Variable {variable.GetProperty("name")} should offer All with an allValue (a regex matching every value)");
            values[variable.GetProperty("name").GetString()!] = all;
        }

        var queries = new List<DashboardQuery>();
        foreach (var panel in Panels)
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                queries.Add(new DashboardQuery($"panel \"{panel.GetProperty("title").GetString()}\" ({target.GetProperty("refId").GetString()})",
                    Fill(target.GetProperty("expr").GetString()!, values)));
            }
        }

        foreach (var variable in Variables.Where(v => v.GetProperty("type").GetString() == "query"))
        {
            var definition = variable.GetProperty("definition").GetString()!;
            var labelValues = LabelValues().Match(definition);
            Assert.True(labelValues.Success, $"Variable {variable.GetProperty("name")}: expected label_values(selector, label), found {definition}");
            queries.Add(new DashboardQuery($"variable \"{variable.GetProperty("name").GetString()}\"", Fill(labelValues.Groups["selector"].Value, values)));
        }

        return queries;
    }

    /// <summary>
    /// For each counter or histogram the panels take a rate of, a query that has data only once it has moved from 0
    /// (the app reports its counters at 0 from start-up, so a panel's rate has data before anything happened).
    /// </summary>
    public IReadOnlyList<DashboardQuery> MovedCounters(TimeSpan scrapeInterval) =>
        Queries(scrapeInterval)
            .SelectMany(query => RateOf().Matches(query.Expr).Select(m => m.Groups["series"].Value))
            .Distinct()
            .Select(series => new DashboardQuery($"{series} moved", $"sum({series}) > 0"))
            .ToList();

    private static string Fill(string expr, IReadOnlyDictionary<string, string> values)
    {
        var filled = Variable().Replace(expr, m =>
            values.TryGetValue(m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value, out var value) ? value : m.Value);
        var unknown = Variable().Matches(filled).Select(m => m.Value).ToList();
        Assert.True(unknown.Count == 0, $"The query uses variables the dashboard does not define: {string.Join(", ", unknown)} in {expr}");
        return filled;
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)(?::\w+)?\}|(?<plain>\w+))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\brate\((?<series>[a-z_:][a-z0-9_:]*)[{\[]")]
    private static partial Regex RateOf();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*\w+\)$")]
    private static partial Regex LabelValues();
}
