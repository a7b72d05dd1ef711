using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DuckChat.Web.Chats;

/// <summary>
/// Tells this circuit's components when its browser connection comes back, so an open chat can fetch from
/// the database whatever it may have missed while the connection was down.
/// </summary>
public sealed class ConnectionEvents : CircuitHandler
{
    public event Func<Task>? Reconnected;

    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!_wasDown || Reconnected is not { } handlers)
        {
            return Task.CompletedTask;
        }

        _wasDown = false;
        return Task.WhenAll(handlers.GetInvocationList().Cast<Func<Task>>().Select(h => h()));
    }
}
