using DuckChat.Web.Configuration;
using DuckChat.Web.Management;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DuckChat.Web.Diagnostics;

public static class TelemetryExtensions
{
    /// <summary>The standard variable naming where OTLP goes: set, metrics, traces and logs are exported there.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string MetricsPath = "/metrics";

    /// <summary>.NET 10's own meters of what DuckChat runs on: requests, connections, SignalR, Blazor circuits, EF Core.</summary>
    private static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.EntityFrameworkCore",
    ];

    /// <summary>
    /// Metrics (DuckChat's meter, the built-in ones and the runtime's) for Prometheus and OTLP, traces (DuckChat's sends
    /// and ASP.NET Core's requests) for OTLP, logs to OTLP too, and the console log's format (<c>DuckChat:Logging:Format</c>).
    /// </summary>
    public static WebApplicationBuilder AddDuckChatTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<TelemetryOptions>("Telemetry");
        services.AddSingleton<IValidateOptions<TelemetryOptions>, PrometheusNeedsManagementListener>();
        services.AddDuckChatOptions<LoggingOptions>("Logging");
        services.AddSingleton<DuckChatMetrics>();
        services.AddSingleton<DuckChatGauges>();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("duckchat"))
            .WithMetrics(metrics => metrics
                .AddMeter(DuckChatTelemetry.Name).AddMeter(BuiltInMeters).AddRuntimeInstrumentation()
                // Collects only when scraped; /metrics is mapped only when DuckChat:Telemetry:Prometheus is on.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(DuckChatTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.EnrichWithHttpRequest = (activity, _) => RedactQuery(activity))
                // Spans cost time on every request and send: made only when they are exported.
                .SetSampler(provider => IsSet(provider.GetRequiredService<IConfiguration>()[OtlpEndpointVariable])
                    ? new ParentBasedSampler(new AlwaysOnSampler())
                    : new AlwaysOffSampler()));
        // The exporters are chosen as the host is built, from the environment (where the standard variable is set).
        if (IsSet(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.AddDuckChatLogFormat();
        return builder;
    }

    /// <summary>/metrics for Prometheus, on the management listener only, when <c>DuckChat:Telemetry:Prometheus</c> is on.</summary>
    public static WebApplication MapDuckChatTelemetry(this WebApplication app)
    {
        // The gauges exist once made; their values are read when observed. The zeros count only once the meter
        // provider listens, so it is made first.
        app.Services.GetRequiredService<DuckChatGauges>();
        app.Services.GetRequiredService<MeterProvider>();
        app.Services.GetRequiredService<DuckChatMetrics>().ReportZeros();
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireManagementListener().AllowAnonymous();
        }

        return app;
    }

    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>
    /// A query string can carry what people typed (a search) or a secret (a reset code): the instrumentation replaces
    /// its values by default unless told otherwise, and here the tag is dropped whatever it was told.
    /// </summary>
    private static void RedactQuery(System.Diagnostics.Activity activity) => activity.SetTag("url.query", null);
}
