using System.Security.Claims;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Presence;

/// <summary>
/// This circuit's tab in the <see cref="PresenceTracker"/>: open while the circuit lives, looked at or not as its page
/// reports (<see cref="TabAttention"/>), and not looked at while its connection is down. When
/// the person's last tab here closes, "last seen" is recorded.
/// </summary>
public sealed class TabPresence(
    PresenceTracker tracker, AuthenticationStateProvider authentication, IDbContextFactory<ChatDbContext> factory, LastSeenRecorder lastSeen)
    : CircuitHandler
{
    private string? _userId;
    private string _tab = "";
    private bool _active = true; // as the page last reported
    private bool _connected;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if ((await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return;
        }

        // The setting is read when the person's first tab here opens; later changes come through the tracker.
        var appearOffline = tracker.AppearsOfflineHere(userId) ?? await AppearsOfflineAsync(userId, cancellationToken);
        (_userId, _tab, _connected) = (userId, circuit.Id, true);
        tracker.Open(userId, _tab, appearOffline);
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = false;
        Report();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = true;
        Report();
        return Task.CompletedTask;
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_userId is { } userId && tracker.Close(userId, _tab))
        {
            await lastSeen.RecordAsync(userId, cancellationToken);
        }
    }

    /// <summary>The page says whether its tab is looked at (visible, focused and in use).</summary>
    public void AttentionChanged(bool active)
    {
        _active = active;
        Report();
    }

    private void Report()
    {
        if (_userId is { } userId)
        {
            tracker.SetActive(userId, _tab, _active && _connected);
        }
    }

    private async Task<bool> AppearsOfflineAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.AppearOffline).FirstOrDefaultAsync(cancellationToken);
    }
}
