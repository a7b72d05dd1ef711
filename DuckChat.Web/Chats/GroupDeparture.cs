using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>
/// Someone leaving a group, by Leave group or with their account. An owner hands the group to its longest-standing
/// member, the chat gets a system line saying so, and the last one out takes the group with them. Every way out
/// goes through here, so a group always keeps an owner and its chat always says who left.
/// </summary>
public static class GroupDeparture
{
    /// <summary>What one departure changed, to announce once the caller's transaction commits.</summary>
    /// <param name="Line">The system line; null when the group is gone with its last member.</param>
    public sealed record Departure(int ChatId, string LeaverId, IReadOnlyList<string> Remaining, MessageView? Line);

    /// <summary>Inside the caller's transaction: <paramref name="leaver"/> leaves the group. Null when they are not in that group.</summary>
    public static async Task<Departure?> LeaveAsync(ChatDbContext db, int chatId, (string Id, string Name) leaver, DateTime now)
    {
        var group = await db.Chats.Include(c => c.Members).ThenInclude(m => m.User)
            .FirstOrDefaultAsync(c => c.Id == chatId && c.Kind == ChatKind.Group && c.Members.Any(m => m.UserId == leaver.Id));
        if (group is null)
        {
            return null;
        }

        var mine = group.Members.Single(m => m.UserId == leaver.Id);
        group.Members.Remove(mine);
        var heir = mine.Role == ChatRole.Owner
            ? group.Members.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).FirstOrDefault()
            : null;
        heir?.Role = ChatRole.Owner;
        if (group.Members.Count == 0)
        {
            db.Chats.Remove(group);
            await db.SaveChangesAsync();
            return new(chatId, leaver.Id, [], null);
        }

        await db.SaveChangesAsync();
        var text = heir is null ? "left the group" : $"left the group; {heir.User!.UserName} is now the owner";
        var line = await ChatStore.AppendAsync(db, chatId, leaver, MessageKind.System, text, Guid.NewGuid(), now);
        return new(chatId, leaver.Id, group.Members.Select(m => m.UserId).ToList(), line);
    }

    /// <summary>Inside the caller's transaction: <paramref name="owner"/> leaves every group they own (their account is going).</summary>
    public static async Task<IReadOnlyList<Departure>> LeaveOwnedGroupsAsync(ChatDbContext db, (string Id, string Name) owner, DateTime now)
    {
        var owned = await db.ChatMembers
            .Where(m => m.UserId == owner.Id && m.Role == ChatRole.Owner && m.Chat!.Kind == ChatKind.Group)
            .OrderBy(m => m.ChatId).Select(m => m.ChatId).ToListAsync();
        var departures = new List<Departure>(owned.Count);
        foreach (var chatId in owned)
        {
            departures.Add((await LeaveAsync(db, chatId, owner, now))!);
        }

        return departures;
    }

    /// <summary>Tells the leaver's pages, the chat's open pages and the remaining members; after the commit only.</summary>
    public static void Announce(IMessageBus bus, Diagnostics.DuckChatMetrics metrics, Departure departure)
    {
        if (departure.Line is null)
        {
            bus.Publish(Topics.User(departure.LeaverId), new MemberRemoved(departure.ChatId, departure.LeaverId)); // the last one out: the group is gone
            return;
        }

        GroupService.PublishChange(bus, metrics, departure.ChatId, departure.Remaining, departure.Line, departure.LeaverId);
    }
}
