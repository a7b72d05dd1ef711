using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DuckChat.Bench.SendPath;

/// <summary>
/// Usage: DuckChat.Bench.SendPath --out FILE.json [--tiny] [--sends N] [--warmup N] [--senders N]. Writes the results
/// (FILE.json, which the harness folds into its report with --sendpath FILE.json) and prints the report's section. A
/// named class rather than top-level statements: ASP.NET Core's generator would make a top-level Program public,
/// clashing with DuckChat.Web's in the tests.
/// </summary>
public static class SendPathProgram
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static async Task<int> Main(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        if (Value("--out") is not { } output)
        {
            await Console.Error.WriteLineAsync("Usage: DuckChat.Bench.SendPath --out FILE.json [--tiny] [--sends N] [--warmup N] [--senders N]");
            return 2;
        }

        var options = args.Contains("--tiny") ? new SendPathOptions().AsTiny() : new SendPathOptions();
        options = options with
        {
            Sends = Int("--sends", options.Sends), WarmupSends = Int("--warmup", options.WarmupSends), Senders = Int("--senders", options.Senders),
        };
        var run = await SendPathBench.RunAsync(options, Console.Out);
        output = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(run, Json));
        var md = new StringBuilder();
        SendPathReport.Write(md, run);
        Console.WriteLine();
        Console.WriteLine(md);
        Console.WriteLine($"Wrote {output}");
        return run.Cases.Sum(c => c.Failed) == 0 ? 0 : 1;
    }
}
