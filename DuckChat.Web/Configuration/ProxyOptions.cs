using System.ComponentModel.DataAnnotations;
using System.Net;

namespace DuckChat.Web.Configuration;

/// <summary>
/// Reverse proxies whose X-Forwarded-For/-Proto/-Host headers are believed, so the app sees the original scheme
/// and host (auth cookies are Secure behind a TLS-terminating proxy; the circuit origin check compares the right
/// host). Loopback is always trusted, as ASP.NET Core does by default.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    /// <summary>Proxy addresses, e.g. 10.0.0.5.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. 10.0.0.0/8.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"'{network}' is not a network in CIDR form (like 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }
}
