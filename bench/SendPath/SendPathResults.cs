namespace DuckChat.Bench.SendPath;

/// <summary>One run of the send-path benchmark: how SQLite was set up, the app's settings, and each case.</summary>
public sealed record SendPathRun(
    string Size,
    string SqliteVersion,
    string JournalMode,
    string Synchronous,
    IReadOnlyDictionary<string, string?> Settings,
    int WarmupSends,
    IReadOnlyList<SendPathResult> Cases);

/// <summary>
/// One case: sends through <c>ChatService.SendAsync</c> from a number of people at once, measured over the whole
/// window: process CPU (user and system, all threads), bytes allocated (all threads), collections, statements SQLite
/// started on the database file (by text, with triggers named), EF Core commands, and each send's wall time.
/// </summary>
public sealed record SendPathResult(
    string Case,
    int Senders,
    int Chats,
    int Sends,
    int Failed,
    string? FirstFailure,
    double WallSeconds,
    double UserCpuSeconds,
    double SystemCpuSeconds,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long EfCommands,
    IReadOnlyList<StatementCount> Statements,
    IReadOnlyList<double> SendMs)
{
    /// <summary>Process CPU (user + system) over the window ÷ sends: what a send costs the server, without waiting for the disk.</summary>
    public double CpuMicrosecondsPerSend => (UserCpuSeconds + SystemCpuSeconds) * 1e6 / Sends;

    public double AllocatedBytesPerSend => (double)AllocatedBytes / Sends;

    /// <summary>Statements started by a caller (not by a trigger), BEGIN and COMMIT included, ÷ sends.</summary>
    public double StatementsPerSend => Total(StatementKind.Statement) / Sends;

    public double TriggersFiredPerSend => Total(StatementKind.TriggerFired) / Sends;

    public double StatementsInTriggersPerSend => Total(StatementKind.InTrigger) / Sends;

    public double EfCommandsPerSend => (double)EfCommands / Sends;

    /// <summary>Sends completed per second of wall time (fsync and waiting for the writer included).</summary>
    public double SendsPerSecond => Sends / WallSeconds;

    public double P50Ms => Percentile(50);

    public double P99Ms => Percentile(99);

    private double Total(StatementKind kind) => Statements.Where(s => s.Kind == kind).Sum(s => s.Count);

    /// <summary>By linear interpolation between closest ranks, as the harness's other percentiles.</summary>
    private double Percentile(double p)
    {
        var sorted = SendMs.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        return sorted.Length == 0 ? double.NaN : sorted[(int)rank] + (sorted[(int)Math.Ceiling(rank)] - sorted[(int)rank]) * (rank - (int)rank);
    }
}
