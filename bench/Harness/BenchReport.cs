namespace DuckChat.Bench.Harness;

public enum ServerKind { DuckChat, Baseline }

/// <summary>Everything one run measured, as written to &lt;date&gt;.json (the .md and .svg are made from it).</summary>
public sealed record BenchReport(
    RunInfo Run,
    IReadOnlyList<LatencyRun> Latency,
    IReadOnlyList<MemoryRun> Memory,
    IReadOnlyList<HistoryRun> History,
    IReadOnlyList<BusResult> Bus);

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
