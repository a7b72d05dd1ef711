using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Notifications;

/// <summary>
/// The signed-in person's notification settings: what notifies them at all, and which chats they muted. Saved on the
/// account through the writer, then announced on their topic so every tab on every instance follows at once.
/// </summary>
public sealed class NotificationSettings(
    IDbContextFactory<ChatDbContext> factory, CurrentUser currentUser, ChatWriter writer, PersonRateLimits rateLimits, IMessageBus bus)
{
    public async Task<NotifyLevel> GetLevelAsync()
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == me).Select(u => u.Notify).SingleAsync();
    }

    public async Task<ChangeResult> SetLevelAsync(NotifyLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            return ChangeResult.Refused("That is not a notification setting.");
        }

        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        await writer.ChangeAsync((db, _) => db.Users.Where(u => u.Id == me).ExecuteUpdateAsync(s => s.SetProperty(u => u.Notify, level)));
        bus.Publish(Topics.User(me), new NotifyLevelChanged(me, level));
        return ChangeResult.Done();
    }

    /// <summary>Mutes a chat of mine (or unmutes it with <see cref="MuteLevel.None"/>); refused for a chat I am not in.</summary>
    public async Task<ChangeResult> MuteAsync(int chatId, MuteLevel mute)
    {
        if (!Enum.IsDefined(mute))
        {
            return ChangeResult.Refused("That is not a way to mute a chat.");
        }

        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        var changed = await writer.ChangeAsync((db, _) => db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Mute, mute)));
        if (changed == 0)
        {
            return ChangeResult.NotFound;
        }

        bus.Publish(Topics.User(me), new ChatMuted(me, chatId, mute));
        return ChangeResult.Done(chatId);
    }
}
