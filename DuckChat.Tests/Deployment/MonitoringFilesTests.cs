using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Deployment;

/// <summary>
/// The monitoring files as shipped: Prometheus's config passes promtool, the dashboard is one Grafana imports and
/// provisions (every panel on the data-source variable), and compose's monitoring profile mounts these very files.
/// That every panel's query returns data is <see cref="DashboardQueryTests"/>.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    [Fact]
    public async Task PrometheusConfig_PassesPromtoolCheckConfig()
    {
        // Arrange
        PrometheusServer.RequireTools();

        // Act
        var (exitCode, output) = await PrometheusServer.CheckConfigAsync(PrometheusServer.ConfigPath);

        // Assert
        Assert.True(exitCode == 0, $"promtool check config failed:\n{output}");
    }

    [Fact]
    public void PrometheusTestCopy_ScrapesOnlyTheGivenTarget_AndKeepsTheJob()
    {
        // Arrange
        var checkedIn = File.ReadAllText(PrometheusServer.ConfigPath);

        // Act
        var copy = PrometheusServer.TestConfig(checkedIn, "127.0.0.1:1234");

        // Assert
        Assert.Contains("static_configs: [{ targets: [\"127.0.0.1:1234\"] }]", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("dns_sd_configs", copy, StringComparison.Ordinal);
        Assert.Contains("job_name: duckchat", copy, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", copy, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_EveryPanelQueriesPrometheus_ThroughTheDataSourceVariable()
    {
        // Arrange
        var dashboard = GrafanaDashboard.Load();

        // Act
        var panels = dashboard.Panels;
        var dataSourceVariable = dashboard.Variables.Single(v => v.GetProperty("type").GetString() == "datasource");

        // Assert
        Assert.Equal("prometheus", dataSourceVariable.GetProperty("query").GetString());
        var uid = $"${{{dataSourceVariable.GetProperty("name").GetString()}}}";
        Assert.True(dashboard.Root.GetProperty("schemaVersion").GetInt32() >= 39, "schemaVersion should be a recent one");
        Assert.True(panels.Count >= 15, $"Expected the dashboard's panels, found {panels.Count}");
        var ids = dashboard.Root.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"Panel {title} has no query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"Panel {title} has an empty query"));
            Assert.All(targets, t => Assert.Equal(uid, t.GetProperty("datasource").GetProperty("uid").GetString()));
        }
    }

    [Fact]
    public void Dashboard_ShowsEveryDuckChatMetric()
    {
        // Arrange
        var queries = string.Join("\n", GrafanaDashboard.Load().Queries(PrometheusServer.ScrapeInterval).Select(q => q.Expr));

        // Act
        var missing = new[]
        {
            "duckchat_messages_sent_total", "duckchat_deliveries_total", "duckchat_send_duration_seconds_bucket", "duckchat_send_failures_total",
            "duckchat_chat_pages_open", "duckchat_bus_publishes_total", "duckchat_bus_publish_failures_total", "duckchat_redis_connected",
            "duckchat_catchups_total", "duckchat_db_write_duration_seconds_bucket", "duckchat_db_write_retries_total",
            "duckchat_read_positions_rounds_total", "duckchat_queue_depth",
        }.Where(series => !queries.Contains(series, StringComparison.Ordinal)).ToList();

        // Assert
        Assert.True(missing.Count == 0, $"No panel shows: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Compose_MonitoringProfile_MountsTheCheckedInFiles_AndTheAppServesMetrics()
    {
        // Arrange
        var compose = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "compose.yaml"));
        var dashboards = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy", "grafana", "provisioning", "dashboards", "duckchat.yml"));

        // Act
        var mounts = Mount().Matches(compose).ToDictionary(m => m.Groups["source"].Value, m => m.Groups["target"].Value);
        var dashboardFolder = DashboardFolder().Match(dashboards).Groups[1].Value;

        // Assert
        Assert.Equal(2, MonitoringProfile().Matches(compose).Count);
        Assert.Matches(@"DuckChat__Telemetry__Prometheus:\s*""true""", compose);
        Assert.Matches(@"DuckChat__Management__Urls:\s*http://0\.0\.0\.0:9090", compose);
        foreach (var source in mounts.Keys.Where(s => s.StartsWith("./deploy/grafana", StringComparison.Ordinal) || s.StartsWith("./deploy/prometheus", StringComparison.Ordinal)))
        {
            Assert.True(Path.Exists(Path.Combine(TestPaths.RepoRoot, source)), $"compose mounts {source}, which is not in the repository");
        }

        Assert.Equal("/etc/prometheus/prometheus.yml", mounts.GetValueOrDefault("./deploy/prometheus/prometheus.yml"));
        Assert.Equal("/etc/grafana/provisioning", mounts.GetValueOrDefault("./deploy/grafana/provisioning"));
        Assert.Equal($"{dashboardFolder}/duckchat.json", mounts.GetValueOrDefault("./deploy/grafana/duckchat.json"));
    }

    [Fact]
    public void GrafanaDataSource_IsTheComposePrometheus()
    {
        // Arrange
        var path = Path.Combine(TestPaths.RepoRoot, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml");

        // Act
        var dataSource = File.ReadAllText(path);

        // Assert
        Assert.Matches(@"type:\s*prometheus", dataSource);
        Assert.Matches(@"url:\s*http://prometheus:9090", dataSource);
        Assert.Matches(@"isDefault:\s*true", dataSource);
    }

    [GeneratedRegex(@"^\s*-\s*(?<source>\./deploy/[^:\s]+):(?<target>/[^:\s]+)(?::ro)?\s*$", RegexOptions.Multiline)]
    private static partial Regex Mount();

    [GeneratedRegex(@"^\s*profiles:\s*\[\s*monitoring\s*\]\s*$", RegexOptions.Multiline)]
    private static partial Regex MonitoringProfile();

    [GeneratedRegex(@"^\s*path:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DashboardFolder();
}
