using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Debian's prometheus (package <c>prometheus</c>, with promtool) running the repository's own config
/// (deploy/prometheus/prometheus.yml) on a loopback port, with its own temp storage, scraping one target every second.
/// The checked-in config finds compose's replicas by DNS; the test copy names the test's target instead and keeps the
/// rest (job, path) as it is.
/// </summary>
public sealed partial class PrometheusServer : IAsyncDisposable
{
    public const string PrometheusPath = "/usr/bin/prometheus";
    public const string PromtoolPath = "/usr/bin/promtool";

    /// <summary>How often the test copy scrapes: short, so a test sees what it did within seconds.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private readonly string _folder = TestPaths.NewTempDirectory("prometheus");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private AppProcess? _prometheus;

    private PrometheusServer(int port) => _http.BaseAddress = new Uri($"http://127.0.0.1:{port}");

    public static string ConfigPath => Path.Combine(TestPaths.RepoRoot, "deploy", "prometheus", "prometheus.yml");

    public static void RequireTools() => TestPaths.RequireTool(
        File.Exists(PrometheusPath) && File.Exists(PromtoolPath), "Debian's prometheus, which brings promtool (apt-get install -y prometheus)");

    /// <summary>Runs <c>promtool check config</c> on a config file; its exit code and what it printed.</summary>
    public static Task<(int ExitCode, string Output)> CheckConfigAsync(string path) =>
        AppProcess.RunToExitAsync(new ProcessStartInfo(PromtoolPath) { ArgumentList = { "check", "config", path } }, TimeSpan.FromSeconds(60));

    /// <summary>
    /// The checked-in config with its service discovery replaced by one static <paramref name="target"/> (host:port)
    /// and every interval set to <see cref="ScrapeInterval"/>.
    /// </summary>
    public static string TestConfig(string checkedIn, string target)
    {
        var discovery = Discovery().Matches(checkedIn);
        Assert.True(discovery.Count == 1, $"Expected one dns_sd_configs line in {ConfigPath} (the replicas' discovery), found {discovery.Count}");
        var config = Discovery().Replace(checkedIn, m => $"{m.Groups[1].Value}static_configs: [{{ targets: [\"{target}\"] }}]");
        return Interval().Replace(config, m => $"{m.Groups[1].Value}: {ScrapeInterval.TotalSeconds}s");
    }

    /// <summary>Starts prometheus on a free loopback port with the test copy of the config, scraping <paramref name="target"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        RequireTools();
        var server = new PrometheusServer(TestPaths.FreePort());
        await server.RunAsync(target);
        return server;
    }

    private async Task RunAsync(string target)
    {
        var config = Path.Combine(_folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, TestConfig(await File.ReadAllTextAsync(ConfigPath), target));
        var (exitCode, output) = await CheckConfigAsync(config);
        Assert.True(exitCode == 0, $"promtool rejects the test copy of the config:\n{output}");

        var start = new ProcessStartInfo(PrometheusPath)
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(_folder, "data")}",
                $"--web.listen-address={_http.BaseAddress!.Authority}",
                "--log.level=warn",
            },
        };
        _prometheus = AppProcess.StartCommand(start);
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(_prometheus.HasExited, $"prometheus exited:\n{_prometheus.Output}");
            try
            {
                using var response = await _http.GetAsync("/-/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "prometheus to be ready");
    }

    /// <summary>
    /// Evaluates an instant query (<c>/api/v1/query</c>) and returns its series (or scalar). A query prometheus rejects
    /// fails the test with prometheus's error: a panel with such a query shows nothing.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string query)
    {
        using var response = await _http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        var body = await response.Content.ReadAsStringAsync();
        using var answer = JsonDocument.Parse(body);
        var root = answer.RootElement;
        Assert.True(root.GetProperty("status").GetString() == "success", $"prometheus rejects {query}: {body}");
        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix"
            ? result.EnumerateArray().Select(series => series.Clone()).ToList()
            : [result.Clone()];
    }

    /// <summary>The names of every series prometheus holds (for assertion messages).</summary>
    public async Task<IReadOnlyList<string>> SeriesNamesAsync()
    {
        using var names = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/label/__name__/values"));
        return names.RootElement.GetProperty("data").EnumerateArray().Select(name => name.GetString()!).ToList();
    }

    /// <summary>Waits until the last scrape of the target succeeded; fails with prometheus's scrape error if it does not.</summary>
    public Task WaitForTargetUpAsync(TimeSpan timeout) =>
        Eventually.GetAsync(async () =>
        {
            using var targets = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/targets?state=active"));
            return string.Join("; ", targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => $"{t.GetProperty("scrapeUrl").GetString()} {t.GetProperty("health").GetString()} {t.GetProperty("lastError").GetString()}".Trim()));
        }, state => state.EndsWith(" up", StringComparison.Ordinal), timeout, "prometheus to scrape the app (the target's state is last)");

    [GeneratedRegex(@"^(\s*)dns_sd_configs:.*$", RegexOptions.Multiline)]
    private static partial Regex Discovery();

    [GeneratedRegex(@"^(\s*(?:scrape_interval|evaluation_interval)):.*$", RegexOptions.Multiline)]
    private static partial Regex Interval();

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        _http.Dispose();
        TestPaths.DeleteQuietly(_folder);
    }
}
