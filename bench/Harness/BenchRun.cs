using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DuckChat.Bench.SendPath;

namespace DuckChat.Bench.Harness;

/// <summary>Runs the chosen phases and writes &lt;date&gt;.md, .json and -latency.svg into the output folder.</summary>
public static class BenchRun
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a phase with no data has NaN statistics
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The report and the path of its Markdown file.</summary>
    public static async Task<(BenchReport Report, string MarkdownPath)> RunAsync(BenchOptions options, TextWriter log)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var work = Path.Combine(Path.GetTempPath(), "duckchat-bench", Guid.NewGuid().ToString("N"));
        try
        {
            // Only the browser phases need Chromium (the send path alone does not).
            await using var browser = options.Phases.Overlaps([Phase.Latency, Phase.History, Phase.Faithfulness]) ? await BenchBrowser.LaunchAsync() : null;
            var latency = options.Phases.Contains(Phase.Latency) ? await LatencyBench.RunAsync(options, browser!, work, log) : [];
            var memory = options.Phases.Contains(Phase.Memory) ? await MemoryBench.RunAsync(options, work, log) : [];
            var history = options.Phases.Contains(Phase.History) ? await HistoryBench.RunAsync(options, browser!, work, log) : [];
            var faithfulness = options.Phases.Contains(Phase.Faithfulness) ? await FaithfulnessBench.RunAsync(options, browser!, work, log) : [];
            var circuits = options.Phases.Contains(Phase.Circuits) ? await CircuitsBench.RunAsync(options, work, log) : [];
            var uploads = options.Phases.Contains(Phase.Uploads) ? await UploadsBench.RunAsync(options, work, log) : null;
            var bus = options.BusResultsFile is { } busFile
                ? JsonSerializer.Deserialize<List<BusResult>>(await File.ReadAllTextAsync(busFile), Json) ?? []
                : [];
            var sendPath = options.SendPathResultsFile is { } sendPathFile
                ? JsonSerializer.Deserialize<SendPathRun>(await File.ReadAllTextAsync(sendPathFile), SendPathProgram.Json)
                : null;
            var report = new BenchReport(Machine(options, started, clock.Elapsed, browser?.Version ?? "not used"), latency, memory, history, bus, faithfulness, circuits, sendPath, uploads);
            return (report, await WriteAsync(report, options.OutputDirectory));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<string> WriteAsync(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = $"{report.Run.StartedAt:yyyy-MM-dd}";
        for (var n = 2; File.Exists(Path.Combine(directory, stem + ".md")); n++)
        {
            stem = $"{report.Run.StartedAt:yyyy-MM-dd}-{n}";
        }

        var plot = $"{stem}-latency.svg";
        await File.WriteAllTextAsync(Path.Combine(directory, plot), LatencyPlot.Write(report));
        await File.WriteAllTextAsync(Path.Combine(directory, stem + ".json"), JsonSerializer.Serialize(report, Json));
        var markdown = Path.Combine(directory, stem + ".md");
        await File.WriteAllTextAsync(markdown, MarkdownReport.Write(report, plot));
        return markdown;
    }

    private static RunInfo Machine(BenchOptions options, DateTimeOffset started, TimeSpan duration, string browserVersion) => new(
        started, duration, options.Size,
        Cpu: ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Cores: ServerProcess.MachineCores,
        Memory: ProcField("/proc/meminfo", "MemTotal") is { } total ? $"{long.Parse(total.Split(' ')[0]) / 1024 / 1024} GiB RAM" : "RAM unknown",
        Os: File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription,
        Runtime: RuntimeInformation.FrameworkDescription,
        Browser: browserVersion,
        options.Environment,
        Pinning: ServerProcess.Pinned
            ? $"Server pinned to core 0 (`taskset -c 0`); harness and Chromium on cores {File.ReadLines("/proc/self/status").First(l => l.StartsWith("Cpus_allowed_list", StringComparison.Ordinal)).Split(':')[1].Trim()}."
            : "Not pinned (one core, or no taskset): server and browser share the CPU.",
        DuckChatSettings: Servers.DuckChatOverrides,
        options);

    private static string? ProcField(string file, string name) => File.Exists(file)
        ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
}
