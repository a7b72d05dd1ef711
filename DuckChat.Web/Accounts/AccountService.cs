using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>The signed-in user's own account settings.</summary>
public sealed class AccountService(IDbContextFactory<ChatDbContext> factory, CurrentUser currentUser, Chats.PersonRateLimits rateLimits, IMessageBus bus)
{
    public async Task<bool> GetDarkModeAsync()
    {
        var (userId, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DarkMode).SingleAsync();
    }

    /// <summary>Saves the preference on the account and tells every open tab of this user.</summary>
    public async Task<Chats.ChangeResult> SetDarkModeAsync(bool darkMode)
    {
        var (userId, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(userId))
        {
            return Chats.ChangeResult.TooFast;
        }

        await using var db = await factory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DarkMode, darkMode));
        bus.Publish(Topics.User(userId), new DarkModeChanged(userId, darkMode));
        return Chats.ChangeResult.Done();
    }
}
