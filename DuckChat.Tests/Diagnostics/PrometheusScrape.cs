using System.Globalization;

namespace DuckChat.Tests.Diagnostics;

/// <summary>One scrape of a Prometheus text exposition: each sample line as its series name, labels and value.</summary>
public sealed class PrometheusScrape(string text)
{
    public string Text { get; } = text;

    public IEnumerable<(string Name, string Labels, double Value)> Samples =>
        from line in Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        where !line.StartsWith('#')
        let braces = line.IndexOf('{')
        let space = line.LastIndexOf(' ')
        let name = braces > 0 ? line[..braces] : line[..line.IndexOf(' ')]
        let labels = braces > 0 ? line[(braces + 1)..line.LastIndexOf('}')] : ""
        select (name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));

    /// <summary>The sum of a series over its label sets (those containing <paramref name="label"/>, when given).</summary>
    public double Sum(string name, string? label = null) =>
        Samples.Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    public static async Task<PrometheusScrape> GetAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        return new PrometheusScrape(await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
    }
}
