namespace DuckChat.Tests.Files;

/// <summary>
/// The process's peak resident memory since a mark (Linux: /proc/self/status VmHWM, reset through clear_refs), which
/// counts what native code such as Skia allocates and touches, unlike the managed heap's counters.
/// </summary>
public sealed class PeakMemory
{
    private readonly long peakAtMark;

    private PeakMemory(long peakAtMark) => this.peakAtMark = peakAtMark;

    public static PeakMemory Mark()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets the peak to the current resident size
        // The peak as the reset left it, not the resident size read a moment later: the kernel updates the two counters
        // at different times, so comparing them could even give a negative growth.
        return new PeakMemory(Read("VmHWM"));
    }

    /// <summary>
    /// How far the peak rose since the mark. The kernel folds each thread's page counts into the process's lazily, so
    /// a peak that did not rise can read a few pages below the mark: that is no growth.
    /// </summary>
    public long GrowthBytes => Math.Max(0, Read("VmHWM") - peakAtMark);

    private static long Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }
}
