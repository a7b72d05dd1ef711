using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Management;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Configuration;

/// <summary>
/// The management listener: more addresses the app listens on, which alone serve health (and whatever else is
/// marked for operators), so probes and scrapers never go through the public port or its proxy.
/// </summary>
public sealed class ManagementOptions : IValidatableObject
{
    /// <summary>
    /// Addresses separated by ';', as in ASPNETCORE_URLS, each http with its port, e.g. <c>http://127.0.0.1:9090</c>
    /// or <c>http://0.0.0.0:9090</c>. Empty: no management listener; health answers on the public port.
    /// </summary>
    public string? Urls { get; set; }

    public IReadOnlyList<string> Addresses => ListenAddresses.Split(Urls);

    public bool IsConfigured => Addresses.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var address in Addresses.Where(a => !ListenAddresses.IsHttpWithPort(a)))
        {
            yield return new ValidationResult(
                $"'{address}' is not an http address with its port and no path, like http://127.0.0.1:9090.", [nameof(Urls)]);
        }
    }
}

/// <summary>
/// Requests are told apart by the port they arrive on, so each management address needs a port the public
/// addresses do not use, and a port Kestrel will listen on.
/// </summary>
public sealed class ManagementPortsAreTheirOwn(IConfiguration configuration) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        var setting = $"{DuckChatConfiguration.Section}:Management:Urls";
        var management = options.Addresses.Where(ListenAddresses.IsHttpWithPort).ToList();
        var kestrelEndpoints = ListenAddresses.KestrelEndpoints(configuration);
        var failures = kestrelEndpoints.Count > 0
            // Kestrel:Endpoints replaces every address the app would add, the management ones too.
            ? management.Where(address => !kestrelEndpoints.Any(endpoint => ListenAddresses.PortOf(endpoint) == ListenAddresses.PortOf(address)))
                .Select(address => $"{setting}: Kestrel:Endpoints names every address the app listens on, so it must also name {address} (as an endpoint of its own).")
            : management.Where(address => ListenAddresses.Public(configuration).Any(p => ListenAddresses.PortOf(p) == ListenAddresses.PortOf(address)))
                .Select(address => $"{setting}: the port of {address} is also a public port (ASPNETCORE_URLS, --urls or ASPNETCORE_HTTP_PORTS); the management listener needs a port of its own.");
        return failures.ToList() is { Count: > 0 } list ? ValidateOptionsResult.Fail(list) : ValidateOptionsResult.Success;
    }
}
