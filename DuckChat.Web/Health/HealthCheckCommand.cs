using DuckChat.Web.Configuration;
using DuckChat.Web.Management;

namespace DuckChat.Web.Health;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --healthcheck</c>: asks the running app's /health/live on this machine and exits
/// 0 (healthy) or 1, so a container's HEALTHCHECK needs no curl. It reads the app's own configuration to find it:
/// the management listener when one is set, else the first public address.
/// </summary>
public static class HealthCheckCommand
{
    public const string Argument = "--healthcheck";

    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(LocalBaseAddress(configuration), "/health/live"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            await Console.Error.WriteLineAsync($"Health check failed: {e.Message}");
            return 1;
        }
    }

    private static Uri LocalBaseAddress(IConfiguration configuration)
    {
        var management = configuration.GetSection($"{DuckChatConfiguration.Section}:Management").Get<ManagementOptions>();
        return ListenAddresses.Local(management is { IsConfigured: true } ? management.Addresses[0] : ListenAddresses.Public(configuration)[0]);
    }
}
