using DuckChat.Bench.SendPath;

namespace DuckChat.Bench.Harness;

/// <summary>
/// What is measured: DuckChat, the bare SignalR hub chat (the floor of latency and CPU), or an empty interactive
/// Blazor page served by the baseline's process (the floor of a circuit's memory, M4 only).
/// </summary>
public enum ServerKind { DuckChat, Baseline, BlazorFloor }

/// <summary>Everything one run measured, as written to &lt;date&gt;.json (the .md and .svg are made from it).</summary>
public sealed record BenchReport(
    RunInfo Run,
    IReadOnlyList<LatencyRun> Latency,
    IReadOnlyList<MemoryRun> Memory,
    IReadOnlyList<HistoryRun> History,
    IReadOnlyList<BusResult> Bus,
    IReadOnlyList<FaithfulnessRun> Faithfulness,
    IReadOnlyList<CircuitStep> Circuits,
    SendPathRun? SendPath,
    UploadsRun? Uploads);

/// <summary>The machine, the software and the settings the numbers belong to.</summary>
public sealed record RunInfo(
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string Size,
    string Cpu,
    int Cores,
    string Memory,
    string Os,
    string Runtime,
    string Browser,
    string Environment,
    string Pinning,
    IReadOnlyDictionary<string, string> DuckChatSettings,
    BenchOptions Options);

/// <summary>M1 and M3 for one server in one round: each receiver's latency for each measured message, and CPU.</summary>
public sealed record LatencyRun(
    ServerKind Server, int Receivers, int ChatMessages, int Round, IReadOnlyList<double> LatenciesMs, int Missing, double CpuSeconds)
{
    public double P50 => Stats.Percentile(LatenciesMs, 50);

    public double P99 => Stats.Percentile(LatenciesMs, 99);

    /// <summary>Server process CPU over the measured window divided by messages delivered to receivers.</summary>
    public double CpuMicrosecondsPerDelivery => LatenciesMs.Count == 0 ? double.NaN : CpuSeconds * 1e6 / LatenciesMs.Count;
}

/// <summary>M4: the server's managed heap (after a full collection) and RSS with a number of chat pages open.</summary>
public sealed record MemoryPoint(int Pages, long HeapBytes, long RssBytes);

public sealed record MemoryRun(ServerKind Server, int ChatMessages, IReadOnlyList<MemoryPoint> Points)
{
    public double HeapBytesPerPage => Stats.Slope(SlopePoints.Select(p => ((double)p.Pages, (double)p.HeapBytes)).ToList());

    public double RssBytesPerPage => Stats.Slope(SlopePoints.Select(p => ((double)p.Pages, (double)p.RssBytes)).ToList());

    /// <summary>
    /// The steps with pages open, where there are two or more: the first page's one-time costs (code jitted and
    /// loaded, caches filled) are not a per-page cost. Otherwise every step.
    /// </summary>
    private IReadOnlyList<MemoryPoint> SlopePoints => Points.Count(p => p.Pages > 0) >= 2 ? Points.Where(p => p.Pages > 0).ToList() : Points;
}

/// <summary>
/// M6 for one chat size: per load, ms from navigation start to the newest message in the page, to the composer
/// being ready, and for one older page (click to rows in the page). The first load is a warm-up and not listed.
/// </summary>
public sealed record HistoryRun(
    ServerKind Server, int ChatMessages, IReadOnlyList<double> OpenMs, IReadOnlyList<double> InteractiveMs, IReadOnlyList<double> OlderMs);

/// <summary>M5, as DuckChat.Bench.Bus writes it (the same shape as its own BusResult).</summary>
public sealed record BusResult(int Subscribers, string Handler, double MeanNs, double NsPerSubscriber, long BytesPerPublish);

/// <summary>
/// The circuit client beside Chromium in one chat (one Chromium sender): what each kind of receiver saw, in which
/// order, how fast, and whether the server and the page's JS interop treated the client as a browser. Latency is to the
/// frame carrying the message at both (the client has no DOM); Chromium's to the message in its DOM is kept beside.
/// </summary>
public sealed record FaithfulnessRun(
    int Circuits,
    int Browsers,
    int Messages,
    IReadOnlyList<double> CircuitLatenciesMs,
    IReadOnlyList<double> BrowserLatenciesMs,
    IReadOnlyList<double> BrowserShownLatenciesMs,
    int CircuitMissing,
    int BrowserMissing,
    int CircuitsOutOfOrder,
    int BrowsersOutOfOrder,
    double ClockResidualMs,
    long ServerActiveCircuits,
    long ServerConnectedCircuits,
    IReadOnlyList<string> ServerErrors,
    int JsCallsCompared,
    IReadOnlyList<string> JsDifferences,
    IReadOnlyList<string> CircuitFailures,
    double ClientCoresBusyPercent)
{
    public double P50Ratio => Stats.Median(CircuitLatenciesMs) / Stats.Median(BrowserLatenciesMs);

    public double P99Ratio => Stats.Percentile(CircuitLatenciesMs, 99) / Stats.Percentile(BrowserLatenciesMs, 99);

    /// <summary>Every receiver saw every message in order, p50 within 25 % of the browser's, the server counted every tab, no errors, same interop.</summary>
    public bool Faithful =>
        CircuitMissing == 0 && BrowserMissing == 0 && CircuitsOutOfOrder == 0 && BrowsersOutOfOrder == 0 && Math.Abs(P50Ratio - 1) <= 0.25
        && ServerActiveCircuits == Circuits + Browsers + 1 && ServerConnectedCircuits == ServerActiveCircuits
        && ServerErrors.Count == 0 && JsDifferences.Count == 0 && CircuitFailures.Count == 0;
}

/// <summary>
/// M2 at one size: circuits open on chats (team: many chats of a few viewers; broadcast: one chat), the server drained
/// (how long that took, and what was still owed or busy if the cap ended the wait), the server's memory with the
/// circuits idle, then messages at a steady total rate: delivery latency, CPU of both processes, losses.
/// <see cref="Deliveries"/> is what the measured messages owed, one per looked-at viewer other than the sender (hidden
/// tabs show no new rows); each has a latency or is missing.
/// </summary>
public sealed record CircuitStep(
    string Case,
    int Circuits,
    int Chats,
    int Accounts,
    double OpenSeconds,
    double DrainSeconds,
    int OwedAtLoad,
    bool QuietAtLoad,
    int FailedToOpen,
    long IdleHeapBytes,
    long IdleRssBytes,
    long ServerActiveCircuits,
    long ServerConnectedCircuits,
    int Sent,
    double SentPerSecond,
    int Deliveries,
    IReadOnlyList<double> LatenciesMs,
    int Missing,
    int Dropped,
    double ServerCpuPercent,
    double ClientCpuPercent,
    IReadOnlyList<string> ServerErrors)
{
    public double P50 => Stats.Percentile(LatenciesMs, 50);

    public double P99 => Stats.Percentile(LatenciesMs, 99);

    /// <summary>The load began on a drained server: nothing owed to any circuit, the server quiet (false: the wait hit its cap).</summary>
    public bool Drained => OwedAtLoad == 0 && QuietAtLoad;
}

/// <summary>
/// Uploads (issue 18), on the disk store: one person's generated files posted one after another, one JPEG until its
/// thumbnail is served, and the server's memory while several people upload a file each at once. The server's RSS
/// before any upload (people signed in) shows what the first uploads left resident before the memory was measured.
/// </summary>
public sealed record UploadsRun(long FileBytes, long RssBeforeUploadsBytes, IReadOnlyList<UploadTiming> Uploads, ImageUpload? Image, UploadMemory Memory)
{
    public double MedianMebibytesPerSecond => Stats.Median(Uploads.Select(u => u.MebibytesPerSecond));

    public double MinMebibytesPerSecond => Uploads.Count == 0 ? double.NaN : Uploads.Min(u => u.MebibytesPerSecond);

    public double MedianServerCpuMs => Stats.Median(Uploads.Select(u => u.ServerCpuSeconds * 1000));
}

/// <summary>One upload: from sending the request to the answer that the file is stored, and the server's CPU time over it.</summary>
public sealed record UploadTiming(long Bytes, double Seconds, double ServerCpuSeconds)
{
    public double MebibytesPerSecond => Bytes / Seconds / UploadsBench.Mebibyte;
}

/// <summary>
/// A JPEG of a photo's size: ms from sending it to the answer that it is stored (metadata removed), and to its
/// thumbnail being served; the server's CPU time over both.
/// </summary>
public sealed record ImageUpload(int Width, int Height, long Bytes, double StoredMs, double ThumbnailMs, double ServerCpuSeconds);

/// <summary>
/// The server's memory around files uploaded at once: idle managed heap (after a full collection) and RSS, RSS sampled
/// while they ran, the kernel's peak (VmHWM, reset just before), and both again after.
/// </summary>
public sealed record UploadMemory(
    int Uploads, long FileBytes, double Seconds, long IdleHeapBytes, long IdleRssBytes, IReadOnlyList<RssSample> Samples,
    long HighWaterRssBytes, long HeapAfterBytes, long RssAfterBytes)
{
    public long BytesInFlight => Uploads * FileBytes;

    public long PeakRssBytes => Math.Max(HighWaterRssBytes, Samples.Count == 0 ? 0 : Samples.Max(s => s.Bytes));

    public long PeakGrowthBytes => PeakRssBytes - IdleRssBytes;

    /// <summary>How much of the bytes in flight the server held at its peak: near 0 when it streams, 1 or more when it buffers whole files.</summary>
    public double GrowthShareOfBytesInFlight => (double)PeakGrowthBytes / BytesInFlight;

    public double MebibytesPerSecond => BytesInFlight / Seconds / UploadsBench.Mebibyte;
}

/// <summary>The server's VmRSS at ms after the uploads began.</summary>
public sealed record RssSample(double Ms, long Bytes);
