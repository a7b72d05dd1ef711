namespace DuckChat.Web.Health;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --healthcheck</c>: asks the running app's /health/live on this machine and exits
/// 0 (healthy) or 1, so a container's HEALTHCHECK needs no curl.
/// </summary>
public static class HealthCheckCommand
{
    public const string Argument = "--healthcheck";

    public static async Task<int> RunAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(LocalBaseAddress(), "/health/live"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"Health check failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The first address the app listens on (ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS, else 8080), seen from this machine.</summary>
    private static Uri LocalBaseAddress()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]
                .Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
            return new Uri(first);
        }

        var port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0] is { Length: > 0 } p ? p : "8080";
        return new Uri($"http://127.0.0.1:{port}");
    }
}
