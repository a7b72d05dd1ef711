using DuckChat.Bench.Circuits;
using Microsoft.Playwright;

namespace DuckChat.Bench.Harness;

/// <summary>
/// The offset from the harness's clock (<see cref="BenchClock"/>) to Chromium's (<c>performance.timeOrigin +
/// performance.now()</c>): the sample with the shortest round trip, assuming the page read its clock halfway.
/// </summary>
public sealed record ClockOffset(double OffsetMs, double ResidualMs)
{
    private const int Samples = 30;

    public static async Task<ClockOffset> MeasureAsync(IPage page)
    {
        var best = new ClockOffset(0, double.PositiveInfinity);
        for (var i = 0; i < Samples; i++)
        {
            var before = BenchClock.NowMs;
            var browser = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            var after = BenchClock.NowMs;
            if ((after - before) / 2 < best.ResidualMs)
            {
                best = new ClockOffset(browser - (before + after) / 2, (after - before) / 2);
            }
        }

        return best;
    }

    /// <summary>A harness time on the browser's clock.</summary>
    public double ToBrowser(double benchMs) => benchMs + OffsetMs;
}
