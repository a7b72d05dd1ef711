using DuckChat.Web.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace DuckChat.Web.Diagnostics;

internal static class LogFormatExtensions
{
    /// <summary>
    /// Every log entry written during a request or a send carries its trace and span ids (as a scope), so a shipped
    /// line leads to its trace. With <c>DuckChat:Logging:Format</c> = json the console writes one JSON object a line,
    /// scopes included. Chosen when the console logger is made, so every configuration source applies; a value that
    /// is neither format stops the app at start-up (<see cref="LoggingOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddDuckChatLogFormat(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Services.AddOptions<ConsoleLoggerOptions>().Configure<IConfiguration>((console, configuration) =>
        {
            if (new LoggingOptions { Format = configuration[$"{DuckChatConfiguration.Section}:Logging:Format"] ?? "" }.IsJson)
            {
                console.FormatterName = ConsoleFormatterNames.Json;
            }
        });
        return builder;
    }
}
