using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Presence;

/// <summary>A person's "appear offline" switch: saved on the account, followed at once by every instance holding their tabs.</summary>
public sealed class AppearOfflineSetting(IDbContextFactory<ChatDbContext> factory, PersonRateLimits rateLimits, IMessageBus bus)
{
    /// <summary>Saves the switch of the signed-in <paramref name="userId"/> (the caller's own account, from its sign-in).</summary>
    public async Task<ChangeResult> SetAsync(string userId, bool appearOffline)
    {
        if (!rateLimits.TryWrite(userId))
        {
            return ChangeResult.TooFast;
        }

        await using var db = await factory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AppearOffline, appearOffline));
        bus.Publish(PresenceTopics.Cluster, new AppearOfflineChanged(userId, appearOffline));
        return ChangeResult.Done();
    }
}
