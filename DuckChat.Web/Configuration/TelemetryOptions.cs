using DuckChat.Web.Management;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Configuration;

/// <summary>
/// Metrics and traces. OTLP export is on when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the Prometheus
/// scraping endpoint is on when asked for here.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Serves <c>/metrics</c> for Prometheus on the management listener, which must then be set.</summary>
    public bool Prometheus { get; set; }
}

/// <summary>
/// The scraping endpoint tells anyone who reaches it how the server is doing: it is served only on the management
/// listener, so with none configured the app refuses to start rather than serve it on the public port.
/// </summary>
public sealed class PrometheusNeedsManagementListener(IOptions<ManagementOptions> management) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        options.Prometheus && !management.Value.IsConfigured
            ? ValidateOptionsResult.Fail(
                $"{DuckChatConfiguration.Section}:Telemetry:Prometheus is on, but {DuckChatConfiguration.Section}:Management:Urls is not set: "
                + "/metrics is served only on the management listener, never on the public port. Set "
                + $"{DuckChatConfiguration.Section}:Management:Urls (e.g. http://127.0.0.1:9090), or turn Prometheus off.")
            : ValidateOptionsResult.Success;
}
