using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckChat.Bench.SendPath;

namespace DuckChat.Bench.Search;

/// <summary>
/// Usage: DuckChat.Bench.Search --out FILE.json [--tiny] [--messages N] [--runs N]. Writes the results (FILE.json) and
/// prints the report's section. A named class, as the send path's, so no top-level Program clashes with the app's.
/// </summary>
public static class SearchProgram
{
    public static async Task<int> Main(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        if (Value("--out") is not { } output)
        {
            await Console.Error.WriteLineAsync("Usage: DuckChat.Bench.Search --out FILE.json [--tiny] [--messages N] [--runs N]");
            return 2;
        }

        var options = args.Contains("--tiny") ? new SearchBenchOptions().AsTiny() : new SearchBenchOptions();
        options = options with { Messages = Int("--messages", options.Messages), Runs = Int("--runs", options.Runs) };
        var run = await SearchBench.RunAsync(options, Console.Out);
        output = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(run, SendPathProgram.Json));
        var md = new StringBuilder();
        SearchReport.Write(md, run);
        Console.WriteLine();
        Console.WriteLine(md);
        Console.WriteLine($"Wrote {output}");
        // With detail=none the service's statements are expected to fail (that layout is measured, not shipped).
        return run.Layouts.Where(l => l.Detail == "full").Sum(l => l.Latency.Sum(x => x.Errors)) == 0 ? 0 : 1;
    }
}
