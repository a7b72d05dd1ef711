using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Records ApplicationUser.LastSeenAt when a signed-in person's tab connects or reconnects, and when their last tab on
/// this instance closes (Presence.TabPresence asks): never on a heartbeat.
/// </summary>
public sealed class LastSeenRecorder(
    AuthenticationStateProvider authentication, IDbContextFactory<ChatDbContext> factory, TimeProvider time, ILogger<LastSeenRecorder> logger)
    : CircuitHandler
{
    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if ((await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await RecordAsync(userId, cancellationToken);
        }
    }

    public async Task RecordAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSeenAt, now), cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            // "Last seen" is a nicety: a database in trouble must not cost the person their tab.
            logger.LogWarning(e, "Could not record when user {UserId} was last seen", userId);
        }
    }
}
