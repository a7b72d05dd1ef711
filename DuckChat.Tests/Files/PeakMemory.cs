namespace DuckChat.Tests.Files;

/// <summary>
/// The process's peak resident memory since a mark (Linux: /proc/self/status VmHWM, reset through clear_refs), which
/// counts what native code such as Skia allocates and touches, unlike the managed heap's counters.
/// </summary>
public sealed class PeakMemory
{
    private readonly long residentAtMark;

    private PeakMemory(long residentAtMark) => this.residentAtMark = residentAtMark;

    public static PeakMemory Mark()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets the peak to the current resident size
        return new PeakMemory(Read("VmRSS"));
    }

    /// <summary>How far the peak rose above the resident size at the mark.</summary>
    public long GrowthBytes => Read("VmHWM") - residentAtMark;

    private static long Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }
}
