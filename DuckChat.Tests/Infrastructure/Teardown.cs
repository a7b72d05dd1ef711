using System.Diagnostics;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Frees what a shared fixture held (an app's host, the browser) once its tests have made every assertion. A step that
/// throws then must not fail the whole run without naming a test, as xUnit's cleanup failures do: it is written to
/// standard error instead, on one line starting <see cref="Mark"/>, which the run's results keep and test.sh prints at
/// its end. So is a step that takes longer than <see cref="Slow"/> (a host that waits out its whole shutdown time).
/// </summary>
public static class Teardown
{
    public const string Mark = "TEARDOWN";

    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(10);

    public static async ValueTask RunAsync(string what, Func<ValueTask> step)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await step();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"{Mark} FAILED {what} after {clock.Elapsed.TotalSeconds:F1} s: {e.ToString().ReplaceLineEndings(" | ")}");
            return;
        }

        if (clock.Elapsed > Slow)
        {
            await Console.Error.WriteLineAsync($"{Mark} SLOW {what}: {clock.Elapsed.TotalSeconds:F1} s");
        }
    }
}
