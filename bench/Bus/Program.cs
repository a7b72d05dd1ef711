using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DuckChat.Bench.Bus;

// Usage: DuckChat.Bench.Bus <output.json> [--dry]
// Runs in process (InProcessEmitToolchain): the bus is in-process code, and this avoids BenchmarkDotNet generating
// and building a second project. --dry runs each case once, to prove the plumbing (numbers meaningless).
if (args.Length < 1)
{
    Console.Error.WriteLine("Usage: DuckChat.Bench.Bus <output.json> [--dry]");
    return 2;
}

var output = Path.GetFullPath(args[0]);
var job = (args.Contains("--dry") ? Job.Dry : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .WithArtifactsPath(Path.Combine(Path.GetDirectoryName(output)!, "bus-artifacts"));
var summary = BenchmarkRunner.Run<PublishBenchmarks>(config);

var results = summary.Reports
    .Where(r => r.ResultStatistics is not null)
    .Select(r =>
    {
        var subscribers = (int)r.BenchmarkCase.Parameters[nameof(PublishBenchmarks.Subscribers)];
        var handler = r.BenchmarkCase.Parameters[nameof(PublishBenchmarks.Handler)].ToString()!;
        var meanNs = r.ResultStatistics!.Mean;
        return new BusResult(subscribers, handler, meanNs, meanNs / subscribers, r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1);
    })
    .ToList();
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine($"Wrote {results.Count} results to {output}");
return results.Count == summary.BenchmarksCases.Length ? 0 : 1;

/// <summary>One case, as the harness's report reads it (bench/Harness BusResult has the same shape).</summary>
internal sealed record BusResult(int Subscribers, string Handler, double MeanNs, double NsPerSubscriber, long BytesPerPublish);
