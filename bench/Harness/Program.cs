namespace DuckChat.Bench.Harness;

/// <summary>
/// The harness's command line (see <see cref="BenchOptions.Usage"/>). A named class rather than top-level
/// statements: ASP.NET Core's generator would make a top-level Program public, clashing with DuckChat.Web's in the tests.
/// </summary>
public static class HarnessProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        var (report, markdown) = await BenchRun.RunAsync(options, Console.Out);
        Console.WriteLine();
        Console.WriteLine($"Report: {markdown}");
        foreach (var target in Targets.Judge(report))
        {
            Console.WriteLine($"  {target.Metric}: {target.Measured} (target {target.Target}) {target.Met switch { true => "met", false => "MISSED", null => "" }}");
        }

        var missing = report.Latency.Sum(r => r.Missing);
        if (missing > 0)
        {
            Console.Error.WriteLine($"{missing} deliveries never arrived: the latency figures are incomplete.");
            return 1;
        }

        return 0;
    }
}
