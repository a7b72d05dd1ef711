using System.Net;
using System.Net.Sockets;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Push;

/// <summary>
/// Where DuckChat may post pushes. A subscription's endpoint comes from a browser, so anyone signed in could name
/// any address: it must be https, on port 443, at a host whose address is public, unless the host is one of
/// DuckChat:Push:AllowedHosts. Checked when a browser subscribes, and again on every connection (DNS can change):
/// the connection goes only to the public addresses just checked, so a name cannot be re-pointed in between.
/// </summary>
public sealed class PushEndpoints(IOptions<PushOptions> options)
{
    /// <summary>Networks that are not the public internet: this host, private and shared networks, documentation, multicast, reserved.</summary>
    private static readonly IPNetwork[] NotPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            // IPv6's global unicast block is 2000::/3; within it, these are not public.
            "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    /// <summary>NAT64 gives IPv4 hosts IPv6 addresses here, with the IPv4 address in the last four bytes.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>Why <paramref name="endpoint"/> may not be used, or null when it may.</summary>
    public async Task<string?> RefusalAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Length > PushDevice.EndpointMaxLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0)
        {
            return "The push service's address is not an https address.";
        }

        try
        {
            await AddressesAsync(uri.IdnHost, uri.Port, cancellationToken);
            return null;
        }
        catch (PushEndpointRefusedException e)
        {
            return e.Message;
        }
    }

    /// <summary>Connects the push client only to addresses that pass the check (SocketsHttpHandler.ConnectCallback).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !NotPublic.Any(n => n.Contains(address)),
            AddressFamily.InterNetworkV6 => GlobalUnicast.Contains(address) && !NotPublic.Any(n => n.Contains(address)),
            _ => false,
        };
    }

    private async Task<IPAddress[]> AddressesAsync(string host, int port, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        var allowed = options.Value.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);
        if (!allowed && port != 443)
        {
            throw new PushEndpointRefusedException($"Push services are reached on port 443, not {port}.");
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            throw new PushEndpointRefusedException("The push service's host name does not resolve.");
        }

        var usable = allowed ? addresses : addresses.Where(IsPublic).ToArray();
        return usable.Length > 0 ? usable : throw new PushEndpointRefusedException("The push service's host is not on the public internet.");
    }
}

/// <summary>A push endpoint that DuckChat will not post to (see <see cref="PushEndpoints"/>).</summary>
public sealed class PushEndpointRefusedException(string message) : Exception(message);
