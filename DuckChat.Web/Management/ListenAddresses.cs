using System.Net;

namespace DuckChat.Web.Management;

/// <summary>
/// The addresses the app is told to listen on, read from configuration in ASP.NET Core's own order: <c>urls</c>
/// (ASPNETCORE_URLS, <c>--urls</c>), else ASPNETCORE_HTTP_PORTS and ASPNETCORE_HTTPS_PORTS, else Kestrel's default.
/// <c>Kestrel:Endpoints</c>, when present, replaces them all.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Where Kestrel listens when nothing names an address.</summary>
    public const string KestrelDefault = "http://localhost:5000";

    public static IReadOnlyList<string> Public(IConfiguration configuration)
    {
        if (Split(configuration[WebHostDefaults.ServerUrlsKey]) is { Count: > 0 } urls)
        {
            return urls;
        }

        string[] ports =
        [
            .. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}"),
            .. Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"),
        ];
        return ports.Length > 0 ? ports : [KestrelDefault];
    }

    /// <summary>The URLs of <c>Kestrel:Endpoints</c>; empty when the addresses come from <see cref="Public"/>.</summary>
    public static IReadOnlyList<string> KestrelEndpoints(IConfiguration configuration) =>
        [.. configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>()];

    /// <summary>A list of addresses separated by ';', as ASPNETCORE_URLS writes them.</summary>
    public static IReadOnlyList<string> Split(string? addresses) =>
        (addresses ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The TCP port an address names, or null when it names none (a Unix socket, a malformed address).</summary>
    public static int? PortOf(string address) => TryParse(address) is { IsUnixPipe: false } parsed ? parsed.Port : null;

    /// <summary>
    /// True for <c>http://host:port</c> with the port spelled out and no path: what an operator can point a probe
    /// or a scraper at.
    /// </summary>
    public static bool IsHttpWithPort(string address) =>
        TryParse(address) is { IsUnixPipe: false, PathBase.Length: 0, Port: > 0 and <= 65535 } parsed
        && parsed.Scheme.Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
        && address.TrimEnd('/').EndsWith($":{parsed.Port}", StringComparison.Ordinal);

    /// <summary>
    /// How to reach <paramref name="address"/> from this machine: a wildcard, or a host name (Kestrel listens on every
    /// interface for both), is asked at 127.0.0.1; localhost and a specific IP address are asked where they are.
    /// </summary>
    public static Uri Local(string address)
    {
        var parsed = BindingAddress.Parse(address);
        var specific = parsed.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                       || (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any));
        return new Uri($"{parsed.Scheme}://{(specific ? parsed.Host : "127.0.0.1")}:{parsed.Port}");
    }

    private static BindingAddress? TryParse(string address)
    {
        try
        {
            return BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
