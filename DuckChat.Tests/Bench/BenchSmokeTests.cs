using DuckChat.Bench.Harness;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Bench;

/// <summary>
/// Runs the benchmark harness at tiny sizes against both servers, so bench/run.sh cannot rot unnoticed. It checks
/// that every phase measured what it should and that the report was written; it never judges a timing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BenchSmokeTests : IDisposable
{
    private readonly string _output = TestPaths.NewTempDirectory("bench");

    [Fact]
    public async Task TinyRun_MeasuresEveryPhaseForBothServersAndTheCircuitClient_AndWritesTheReport()
    {
        // Arrange: the builds the test run already made; unpublished builds serve their static assets in Development.
        TestPaths.RequireTool(File.Exists(BenchBrowser.ChromiumPath), "Debian's Chromium (apt-get install -y chromium)");
        var options = new BenchOptions
        {
            DuckChatDirectory = TestPaths.WebBuildOutput,
            BaselineDirectory = Path.Combine(TestPaths.RepoRoot, "bench", "Baseline", "bin", TestPaths.BuildConfiguration, "net10.0"),
            OutputDirectory = _output,
            Environment = "Development",
        }.AsTiny() with
        {
            Messages = 3, WarmupMessages = 1, MessagesPerSecond = 10, BigChatMessages = 0, MemoryPages = [0, 1], HistorySizes = [60], HistoryLoads = 1,
        };
        using var log = new StringWriter();

        // Act
        var (report, markdown) = await BenchRun.RunAsync(options, log);

        // Assert
        ServerKind[] both = [ServerKind.DuckChat, ServerKind.Baseline];
        Assert.True(report.Latency.Count == 2, $"One latency run per server expected:\n{log}");
        Assert.All(report.Latency, run =>
        {
            Assert.Equal(0, run.Missing);
            Assert.Equal(options.Messages, run.LatenciesMs.Count);
            Assert.True(run.CpuSeconds >= 0, $"CPU time went backwards:\n{log}");
        });
        Assert.Equal(both, report.Latency.Select(r => r.Server));
        Assert.Equal([.. both, ServerKind.BlazorFloor], report.Memory.Select(r => r.Server)); // and Blazor's floor, an empty interactive page
        Assert.All(report.Memory, run => Assert.All(run.Points, p => Assert.True(p.HeapBytes > 0 && p.RssBytes > 0, $"{run.Server}: {p}\n{log}")));
        Assert.Equal(both, report.History.Select(r => r.Server));
        Assert.All(report.History, run => Assert.Equal(options.HistoryLoads, run.OpenMs.Count));
        Assert.Contains("Smoke-size run", await File.ReadAllTextAsync(markdown, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.ChangeExtension(markdown, ".json")), "the JSON report is missing");
        Assert.Single(Directory.GetFiles(_output, "*-latency.svg"));

        // The circuit client beside Chromium: it saw what the browser saw, the server counted it, same JS interop.
        var faithfulness = Assert.Single(report.Faithfulness);
        Assert.True(faithfulness is { CircuitMissing: 0, BrowserMissing: 0, CircuitsOutOfOrder: 0, BrowsersOutOfOrder: 0 }, $"{faithfulness}\n{log}");
        Assert.Equal(options.FaithfulnessCircuits[0] * options.FaithfulnessMessages, faithfulness.CircuitLatenciesMs.Count);
        Assert.Empty(faithfulness.JsDifferences);
        Assert.Empty(faithfulness.CircuitFailures);
        Assert.Equal(faithfulness.Circuits + faithfulness.Browsers + 1, faithfulness.ServerActiveCircuits);

        // M2: every step's load ran on a drained server and delivered each message to every other viewer of its chat.
        Assert.Equal(["team", "team", "broadcast"], report.Circuits.Select(s => s.Case));
        Assert.All(report.Circuits, step =>
        {
            Assert.True(step is { Missing: 0, Dropped: 0, FailedToOpen: 0, OwedAtLoad: 0 } && step.Sent > 0, $"{step}\n{log}");
            // Each message is owed to its chat's looked-at tabs but the sender's (at most every other viewer), and each arrived.
            Assert.InRange(step.Deliveries, 1, step.Sent * (step.Circuits / step.Chats - 1));
            Assert.Equal(step.Deliveries, step.LatenciesMs.Count);
            Assert.Equal(step.Circuits, step.ServerActiveCircuits);
        });

        // Uploads: every file stored, the image's thumbnail served after it was stored, the server's memory read while files went up at once.
        var uploads = Assert.IsType<UploadsRun>(report.Uploads);
        Assert.Equal(options.Uploads, uploads.Uploads.Count);
        Assert.True(uploads.Image is { } image && image.ThumbnailMs >= image.StoredMs, $"{uploads.Image}\n{log}");
        Assert.True(uploads.Memory is { IdleRssBytes: > 0, HighWaterRssBytes: > 0, HeapAfterBytes: > 0, Samples.Count: >= 2 }, $"{uploads.Memory}\n{log}");
        Assert.Equal(options.ParallelUploads, uploads.Memory.Uploads);
    }

    public void Dispose() => TestPaths.DeleteQuietly(_output);
}
