using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>
/// Admits connections to Blazor's circuit hub: only a signed-in person's (pages for everyone else render
/// statically), and, when DuckChat:Security:MaxCircuitsPerAddress is set, only so many from one client address (an
/// IPv6 /64 counting as one). Refused connections are closed before they can start a circuit.
/// </summary>
public sealed class CircuitConnectionFilter(OpenCircuits open, IOptions<SecurityOptions> options) : IHubFilter
{
    private const string AddressItem = "duckchat:address";

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.User?.Identity?.IsAuthenticated != true)
        {
            throw new HubException("Log in first.");
        }

        var limit = options.Value.MaxCircuitsPerAddress;
        if (limit > 0 && context.Context.GetHttpContext() is { } http)
        {
            var address = AccountThrottle.AddressKey(http);
            if (open.ByAddress.Open(address) > limit)
            {
                // A refused connection never disconnects (it never connected), so it is uncounted here.
                open.ByAddress.Close(address);
                throw new HubException("Too many open tabs from this address.");
            }

            context.Context.Items[AddressItem] = address;
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(AddressItem, out var address) && address is string key)
        {
            open.ByAddress.Close(key);
        }

        await next(context, exception);
    }
}
