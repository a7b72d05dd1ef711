using System.Collections.Frozen;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Management;

/// <summary>
/// The management listener (<c>DuckChat:Management:Urls</c>). Kestrel listens there as well as on the public
/// addresses, and a request belongs to it when it arrived on one of its ports: the connection's own port, which a
/// client cannot choose, not the Host header, which it writes.
/// </summary>
public sealed class ManagementListener(IOptions<ManagementOptions> options, IConfiguration configuration) : IStartupFilter
{
    private readonly IReadOnlyList<string> _addresses = options.Value.Addresses;
    private readonly FrozenSet<int> _ports = options.Value.Addresses.Select(ListenAddresses.PortOf).OfType<int>().ToFrozenSet();

    public bool IsConfigured => _addresses.Count > 0;

    public bool Accepts(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    /// <summary>
    /// Adds the management addresses to the server's, after the host has put the public ones there (from urls or
    /// the HTTP/HTTPS ports) and before Kestrel binds them, so every way of naming the public address keeps working.
    /// </summary>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // With Kestrel:Endpoints, Kestrel ignores these addresses; the endpoints name the management ones instead
        // (checked at start-up).
        if (IsConfigured && ListenAddresses.KestrelEndpoints(configuration).Count == 0
                         && app.ServerFeatures.Get<IServerAddressesFeature>() is { Addresses.IsReadOnly: false } server)
        {
            if (server.Addresses.Count == 0)
            {
                // Nothing named a public address, so Kestrel would have used its default: an added address replaces it.
                server.Addresses.Add(ListenAddresses.KestrelDefault);
            }

            foreach (var address in _addresses)
            {
                server.Addresses.Add(address);
            }
        }

        next(app);
    };
}
