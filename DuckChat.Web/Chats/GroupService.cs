using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// Named group chats. The creator owns the group; only the owner renames it and adds or removes people;
/// anyone may leave (<see cref="GroupDeparture"/>: an owner who leaves hands the group to its longest-standing
/// member). Every change is written into the chat as a system line, in the same transaction: the writer's, as every
/// write is.
/// </summary>
public sealed class GroupService(
    Writing.ChatWriter writer,
    CurrentUser currentUser,
    PersonRateLimits rateLimits,
    IMessageBus bus,
    Diagnostics.DuckChatMetrics metrics,
    IOptions<ChatOptions> options)
{
    private ChatOptions Options => options.Value;

    public async Task<ChangeResult> CreateAsync(string name, IReadOnlyCollection<string> memberUserIds)
    {
        var me = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me.Id))
        {
            return ChangeResult.TooFast;
        }

        if (CheckName(name) is { } nameError)
        {
            return ChangeResult.Refused(nameError);
        }

        var others = memberUserIds.Where(id => id != me.Id).Distinct().ToList();
        if (others.Count + 1 > Options.MaxGroupSize)
        {
            return ChangeResult.Refused($"A group can have at most {Options.MaxGroupSize:N0} people.");
        }

        var line = await writer.ChangeAsync(async (db, now) =>
        {
            if (await db.Users.CountAsync(u => others.Contains(u.Id)) != others.Count)
            {
                return null;
            }

            var chat = new Chat
            {
                Kind = ChatKind.Group,
                Name = name.Trim(),
                CreatedAt = now,
                Members = [new ChatMember { UserId = me.Id, Role = ChatRole.Owner, JoinedAt = now },
                    .. others.Select(id => new ChatMember { UserId = id, JoinedAt = now })],
            };
            db.Chats.Add(chat);
            await db.SaveChangesAsync();
            return await ChatStore.AppendAsync(db, chat.Id, me, MessageKind.System, $"created the group “{chat.Name}”", Guid.NewGuid(), now);
        });
        if (line is null)
        {
            return ChangeResult.Refused("Some of the people chosen no longer exist.");
        }

        ChatStore.Publish(bus, line.ChatId, [me.Id, .. others], new MessagePosted(line));
        return ChangeResult.Done(line.ChatId);
    }

    public Task<ChangeResult> RenameAsync(int chatId, string name) => AsOwnerAsync(chatId, async (db, group, me, now) =>
    {
        if (CheckName(name) is { } nameError)
        {
            return (ChangeResult.Refused(nameError), null, null);
        }

        group.Name = name.Trim();
        await db.SaveChangesAsync();
        return (ChangeResult.Done(chatId), await ChatStore.AppendAsync(db, chatId, me, MessageKind.System, $"renamed the group to “{group.Name}”", Guid.NewGuid(), now), null);
    });

    public Task<ChangeResult> AddMembersAsync(int chatId, IReadOnlyCollection<string> userIds) => AsOwnerAsync(chatId, async (db, group, me, now) =>
    {
        var current = group.Members.Select(m => m.UserId).ToHashSet();
        var added = await db.Users.Where(u => userIds.Contains(u.Id) && !current.Contains(u.Id))
            .OrderBy(u => u.NormalizedUserName).Select(u => new { u.Id, u.UserName }).ToListAsync();
        if (added.Count == 0)
        {
            return (ChangeResult.Refused("Choose someone who is not in the group yet."), null, null);
        }

        if (current.Count + added.Count > Options.MaxGroupSize)
        {
            return (ChangeResult.Refused($"A group can have at most {Options.MaxGroupSize:N0} people."), null, null);
        }

        group.Members.AddRange(added.Select(u => new ChatMember { UserId = u.Id, JoinedAt = now, LastReadSeq = group.LastSeq }));
        await db.SaveChangesAsync();
        return (ChangeResult.Done(chatId), await ChatStore.AppendAsync(db, chatId, me, MessageKind.System, $"added {JoinNames(added.Select(u => u.UserName!))}", Guid.NewGuid(), now), null);
    });

    public Task<ChangeResult> RemoveMemberAsync(int chatId, string userId) => AsOwnerAsync(chatId, async (db, group, me, now) =>
    {
        var member = group.Members.FirstOrDefault(m => m.UserId == userId);
        if (member is null || userId == me.Id)
        {
            return (ChangeResult.Refused(userId == me.Id ? "To leave the group, use Leave group." : "That person is not in the group."), null, null);
        }

        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleAsync();
        db.ChatMembers.Remove(member);
        await db.SaveChangesAsync();
        return (ChangeResult.Done(chatId), await ChatStore.AppendAsync(db, chatId, me, MessageKind.System, $"removed {name}", Guid.NewGuid(), now), userId);
    });

    public async Task<ChangeResult> LeaveAsync(int chatId)
    {
        var me = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me.Id))
        {
            return ChangeResult.TooFast;
        }

        var departure = await writer.ChangeAsync((db, now) => GroupDeparture.LeaveAsync(db, chatId, me, now));

        if (departure is null)
        {
            return ChangeResult.NotFound;
        }

        GroupDeparture.Announce(bus, metrics, departure);
        return ChangeResult.Done(chatId);
    }

    private delegate Task<(ChangeResult Result, MessageView? Line, string? Removed)> OwnerChange(
        ChatDbContext db, Chat group, (string Id, string Name) me, DateTime now);

    /// <summary>Runs an owner-only change in one transaction and announces it; anyone else is refused and nothing is written.</summary>
    private async Task<ChangeResult> AsOwnerAsync(int chatId, OwnerChange change)
    {
        var me = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me.Id))
        {
            return ChangeResult.TooFast;
        }

        var (result, members, line, removed) = await writer.ChangeAsync<(ChangeResult, List<string>?, MessageView?, string?)>(async (db, now) =>
        {
            var group = await db.Chats.Include(c => c.Members)
                .FirstOrDefaultAsync(c => c.Id == chatId && c.Kind == ChatKind.Group && c.Members.Any(m => m.UserId == me.Id));
            if (group is null)
            {
                return (ChangeResult.NotFound, null, null, null);
            }

            if (group.Members.Single(m => m.UserId == me.Id).Role != ChatRole.Owner)
            {
                return (ChangeResult.Refused("Only the group's owner can do that."), null, null, null);
            }

            // A refused change has written nothing: the writer's transaction commits only the others' work.
            var (changed, announced, gone) = await change(db, group, me, now);
            if (announced is null)
            {
                return (changed, null, null, null);
            }

            return (changed, group.Members.Select(m => m.UserId).ToList(), announced, gone);
        });

        if (line is not null)
        {
            PublishChange(bus, metrics, chatId, members!, line, removed);
        }

        return result;
    }

    /// <summary>Announces a committed change to a group: its system line, and who was removed, if anyone.</summary>
    internal static void PublishChange(
        IMessageBus bus, Diagnostics.DuckChatMetrics metrics, int chatId, IReadOnlyList<string> members, MessageView line, string? removed)
    {
        metrics.MessagesSent.Add(1, Diagnostics.DuckChatTelemetry.SystemMessage);
        if (removed is not null)
        {
            // First, so the removed person's pages close the chat before anything else about it arrives.
            bus.Publish(Topics.Chat(chatId), new MemberRemoved(chatId, removed));
            bus.Publish(Topics.User(removed), new MemberRemoved(chatId, removed));
        }

        ChatStore.Publish(bus, chatId, members, new MessagePosted(line));
        ChatStore.Publish(bus, chatId, members, new ChatChanged(chatId));
    }

    private string? CheckName(string name) => name.Trim() switch
    {
        { Length: 0 } => "Give the group a name.",
        { Length: var length } when length > Options.GroupNameMaxLength => $"A group name has at most {Options.GroupNameMaxLength} characters.",
        _ => null,
    };

    private static string JoinNames(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 1 ? list[0] : $"{string.Join(", ", list[..^1])} and {list[^1]}";
    }
}
