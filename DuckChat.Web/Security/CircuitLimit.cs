using System.Collections.Concurrent;
using System.Security.Claims;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>How many of something are open on this instance, by key (one count shared by all circuits).</summary>
public sealed class OpenCounts
{
    private readonly ConcurrentDictionary<string, int> _byKey = new();

    public int Open(string key) => _byKey.AddOrUpdate(key, 1, (_, count) => count + 1);

    public int Count(string key) => _byKey.GetValueOrDefault(key);

    public void Close(string key)
    {
        if (_byKey.AddOrUpdate(key, 0, (_, count) => count - 1) <= 0)
        {
            _byKey.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }
}

/// <summary>Circuits per signed-in person, and circuit connections per client address.</summary>
public sealed class OpenCircuits
{
    public OpenCounts ByUser { get; } = new();

    public OpenCounts ByAddress { get; } = new();
}

/// <summary>
/// Caps the circuits (tabs) one person holds open (DuckChat:Security:MaxCircuitsPerUser). A page asked for at the cap
/// renders statically with a notice saying why, and starts no circuit; a circuit that still gets past the cap (two
/// tabs at once, or a client that reuses another page's components) is ended before any of its components exist,
/// so it holds no chat state and no subscription. Circuits are only for signed-in people: pages for everyone else
/// render statically, so a circuit without a user is ended the same way.
/// </summary>
public sealed class CircuitLimit(OpenCircuits open, AuthenticationStateProvider authentication, IOptions<SecurityOptions> options) : CircuitHandler
{
    private string? _userId;

    /// <summary>True for a page that renders statically because its person already has the most tabs open.</summary>
    public bool OverLimit { get; private set; }

    public int Limit => options.Value.MaxCircuitsPerUser;

    /// <summary>Whether the page for <paramref name="user"/> should start no circuit: not signed in, or at the cap.</summary>
    public bool RendersStatically(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return true;
        }

        OverLimit = open.ByUser.Count(userId) >= Limit;
        return OverLimit;
    }

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _userId = (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new CircuitRefusedException("A circuit was refused: nobody is signed in.");
        if (open.ByUser.Open(_userId) > Limit)
        {
            // Counted until the circuit is gone (OnCircuitClosedAsync), which ending it now brings about.
            throw new CircuitRefusedException($"A circuit was refused: its person already has {Limit} open.");
        }
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_userId is not null)
        {
            open.ByUser.Close(_userId);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Thrown from a circuit handler to end a circuit that may not exist.</summary>
public sealed class CircuitRefusedException(string message) : InvalidOperationException(message);
