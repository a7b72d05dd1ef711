using System.Diagnostics;

namespace DuckChat.Bench.Circuits;

/// <summary>
/// Milliseconds since the Unix epoch on a monotonic clock: the wall clock read once, then advanced by the
/// Stopwatch, so intervals are as exact as the Stopwatch and the value is on the same scale as Chromium's
/// <c>performance.timeOrigin + performance.now()</c> (the harness calibrates the remaining offset).
/// </summary>
public static class BenchClock
{
    private static readonly double AnchorUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static readonly long AnchorTicks = Stopwatch.GetTimestamp();

    public static double NowMs => ToMs(Stopwatch.GetTimestamp());

    public static double ToMs(long stopwatchTimestamp) =>
        AnchorUnixMs + (stopwatchTimestamp - AnchorTicks) * 1000.0 / Stopwatch.Frequency;
}
