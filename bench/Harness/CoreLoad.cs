using System.Diagnostics;
using System.Globalization;

namespace DuckChat.Bench.Harness;

/// <summary>
/// How busy the cores this process may run on (the client cores: harness, Playwright, Chromium) are over a window,
/// from /proc/stat: Chromium's pages share them with the circuit client, so a page that waits for a core shows here.
/// </summary>
public sealed class CoreLoad
{
    private readonly IReadOnlyList<int> _cores;
    private readonly Dictionary<int, (long Busy, long Total)> _start;

    private CoreLoad(IReadOnlyList<int> cores)
    {
        _cores = cores;
        _start = Read(cores);
    }

    /// <summary>Starts measuring the cores in this process's affinity.</summary>
    public static CoreLoad Start()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("CoreLoad reads /proc/stat");
        }

        var mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
        // Not Environment.ProcessorCount: under taskset that counts the allowed cores, not the highest core number.
        return new CoreLoad([.. Enumerable.Range(0, 64).Where(core => (mask & (1L << core)) != 0)]);
    }

    /// <summary>The cores' busy time since <see cref="Start"/>, as % of one core, averaged over the cores.</summary>
    public double BusyPercent()
    {
        var now = Read(_cores);
        var busy = _cores.Sum(c => now[c].Busy - _start[c].Busy);
        var total = _cores.Sum(c => now[c].Total - _start[c].Total);
        return total == 0 ? 0 : 100.0 * busy / total;
    }

    private static Dictionary<int, (long Busy, long Total)> Read(IReadOnlyList<int> cores)
    {
        var times = new Dictionary<int, (long Busy, long Total)>();
        foreach (var line in File.ReadLines("/proc/stat").Where(l => l.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(l[3])))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var core = int.Parse(fields[0][3..], CultureInfo.InvariantCulture);
            if (cores.Contains(core))
            {
                // user nice system idle iowait irq softirq steal: idle and iowait are the core waiting.
                var ticks = fields[1..9].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                times[core] = (ticks.Sum() - ticks[3] - ticks[4], ticks.Sum());
            }
        }

        return times;
    }
}
