using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Deleting an account, the same by every way in (an admin, or the person on their Delete page): never the last
/// admin; every group the account owns is handed over as leaving does; the account leaves every chat, and its
/// messages stay, from "deleted user". Works inside the caller's transaction on the scope's
/// <see cref="ChatDbContext"/> (the one <see cref="UserManager{TUser}"/> saves through), so the caller can write
/// more (an audit entry) and commit it all at once.
/// </summary>
public sealed class AccountDeletion(UserManager<ApplicationUser> users, ChatDbContext db, LastAdminRule lastAdmin, TimeProvider time)
{
    /// <summary>The refusal (roll back), or what to announce once the caller has committed.</summary>
    public async Task<(string? Refusal, DeletedAccount? Deleted)> DeleteAsync(ApplicationUser user)
    {
        if (await lastAdmin.WhyNotDeletableAsync(user) is { } why)
        {
            return (why, null);
        }

        var departures = await GroupDeparture.LeaveOwnedGroupsAsync(db, (user.Id, user.UserName!), time.GetUtcNow().UtcDateTime);
        var chats = await db.ChatMembers.Where(m => m.UserId == user.Id).Select(m => m.ChatId).ToListAsync();
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            return (string.Join(" ", result.Errors.Select(e => e.Description)), null);
        }

        // Read back: the lines are now from a deleted user, and the events should show what a fresh load shows.
        var lineIds = departures.Where(d => d.Line is not null).Select(d => d.Line!.Id).ToList();
        var lines = await db.Messages.Where(m => lineIds.Contains(m.Id)).Select(ChatStore.ToView).ToDictionaryAsync(l => l.Id);
        return (null, new DeletedAccount(user.Id, chats,
            departures.Select(d => d.Line is null ? d : d with { Line = lines[d.Line.Id] }).ToList()));
    }
}

/// <summary>A deleted account, for its announcement after the commit.</summary>
public sealed record DeletedAccount(string UserId, IReadOnlyList<int> OtherChats, IReadOnlyList<GroupDeparture.Departure> HandedOver)
{
    /// <summary>Signs the account's tabs out, and updates the pages of every chat it was in.</summary>
    public void Announce(IMessageBus bus, Diagnostics.DuckChatMetrics metrics)
    {
        bus.Publish(Topics.User(UserId), new AccountSignedOut(UserId));
        foreach (var departure in HandedOver)
        {
            GroupDeparture.Announce(bus, metrics, departure);
        }

        foreach (var chatId in OtherChats)
        {
            bus.Publish(Topics.Chat(chatId), new ChatChanged(chatId));
        }
    }
}
