using System.Text.Json;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Diagnostics;

/// <summary>With <c>DuckChat:Logging:Format</c> = json the app's console lines are JSON objects, and a request's carry its trace id.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task JsonFormat_WritesJsonLines_WithTheRequestsTraceId()
    {
        // Arrange
        var dataDirectory = TestPaths.NewTempDirectory("json-logs");
        var port = TestPaths.FreePort();
        try
        {
            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
                ["DuckChat__Logging__Format"] = "json",
                // The request's own log entry ("Request starting"), written inside its span.
                ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            });

            // Act
            await process.WaitUntilServingAsync($"http://127.0.0.1:{port}/health/live");

            // Assert
            var lines = await Eventually.GetAsync(() => Task.FromResult(JsonLines(process.Output)),
                parsed => parsed.Any(HasTraceId), because: "a JSON log line with a trace id");
            Assert.All(lines, line => Assert.True(line.TryGetProperty("LogLevel", out _), line.GetRawText()));
            Assert.DoesNotContain(process.Output.Split('\n'), line => line.StartsWith("info: ", StringComparison.Ordinal));
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }

    private static List<JsonElement> JsonLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static bool HasTraceId(JsonElement line) =>
        line.TryGetProperty("Scopes", out var scopes)
        && scopes.EnumerateArray().Any(scope => scope.ValueKind == JsonValueKind.Object
            && scope.TryGetProperty("TraceId", out var traceId) && traceId.GetString() is { Length: 32 });
}
