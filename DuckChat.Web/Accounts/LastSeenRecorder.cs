using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace DuckChat.Web.Accounts;

/// <summary>Records ApplicationUser.LastSeenAt when a signed-in person's tab connects or reconnects.</summary>
public sealed class LastSeenRecorder(
    AuthenticationStateProvider authentication, IDbContextFactory<ChatDbContext> factory, TimeProvider time, ILogger<LastSeenRecorder> logger)
    : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) => RecordAsync(cancellationToken);

    private async Task RecordAsync(CancellationToken cancellationToken)
    {
        var userId = (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return;
        }

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
