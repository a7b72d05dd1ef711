using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Keeps every account's look-alike key (<see cref="ApplicationUser.UserNameSkeleton"/>) current at start-up: accounts
/// from before the key existed get one, and a new release of the confusables data updates the rest. Accounts whose
/// keys collide are kept as they are (the admin's user list names them); only new names are refused.
/// </summary>
public sealed class UserNameSkeletonBackfill(IDbContextFactory<ChatDbContext> factory, ILogger<UserNameSkeletonBackfill> logger)
{
    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var stale = (await db.Users.Select(u => new { u.Id, u.UserName, u.UserNameSkeleton }).ToListAsync(cancellationToken))
            .Select(u => (u.Id, Key: UserNameSkeleton.Of(u.UserName ?? ""), u.UserNameSkeleton))
            .Where(u => u.Key != u.UserNameSkeleton)
            .ToList();
        foreach (var (id, key, _) in stale)
        {
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.UserNameSkeleton, key), cancellationToken);
        }

        if (stale.Count > 0)
        {
            logger.LogInformation("Updated the look-alike key of {Count} accounts", stale.Count);
        }
    }
}
