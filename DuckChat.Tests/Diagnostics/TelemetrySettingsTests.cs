using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Diagnostics;

/// <summary>Telemetry settings that would expose /metrics publicly, or that name no known format, stop the app with a message.</summary>
public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("DuckChat__Telemetry__Prometheus", "true", "DuckChat:Management:Urls is not set")]
    [InlineData("DuckChat__Logging__Format", "xml", "DuckChat:Logging:Format")]
    public async Task BadTelemetrySetting_StopsStartUp_NamingIt(string variable, string value, string named)
    {
        var dataDirectory = TestPaths.NewTempDirectory("telemetry-config");
        try
        {
            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPaths.FreePort()}",
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
                [variable] = value,
            });

            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            Assert.Contains(named, process.Output);
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }
}
