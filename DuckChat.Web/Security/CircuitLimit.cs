using System.Collections.Concurrent;
using System.Security.Claims;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>Open circuits per user on this instance (one count shared by all circuits).</summary>
public sealed class OpenCircuits
{
    private readonly ConcurrentDictionary<string, int> _byUser = new();

    public int Open(string userId) => _byUser.AddOrUpdate(userId, 1, (_, count) => count + 1);

    public void Close(string userId)
    {
        if (_byUser.AddOrUpdate(userId, 0, (_, count) => count - 1) <= 0)
        {
            _byUser.TryRemove(new KeyValuePair<string, int>(userId, 0));
        }
    }
}

/// <summary>
/// Caps the circuits (tabs) one person holds open (DuckChat:Security:MaxCircuitsPerUser): the tab over the cap
/// shows why instead of the app, and holds no chat state.
/// </summary>
public sealed class CircuitLimit(OpenCircuits open, AuthenticationStateProvider authentication, IOptions<SecurityOptions> options) : CircuitHandler
{
    private string? _userId;

    public bool OverLimit { get; private set; }

    public int Limit => options.Value.MaxCircuitsPerUser;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _userId = (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (_userId is not null)
        {
            OverLimit = open.Open(_userId) > Limit;
        }
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_userId is not null)
        {
            open.Close(_userId);
        }

        return Task.CompletedTask;
    }
}
