using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Presence;

/// <summary>
/// Presence as this circuit may show it. A component follows the people it shows (the partners of the direct chats
/// in a chat list, the members of the open chat), each found by a query that only answers for chats the signed-in
/// person is in: anyone else is never followed, and <see cref="Of"/> says Offline for them. The circuit subscribes to
/// the presence topic of each person followed, once however many components show them, and only while they do.
/// </summary>
public sealed class PresenceView(PresenceTracker tracker, IMessageBus bus, CurrentUser currentUser, IDbContextFactory<ChatDbContext> factory) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, Watcher> _watchers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);

    /// <summary>
    /// The other person of each of these chats that is a direct chat of mine, followed for <paramref name="owner"/>
    /// (instead of whom it followed before); <paramref name="onChange"/> runs when one of them changes.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> FollowPartnersAsync(object owner, IReadOnlyCollection<int> chatIds, Func<Task> onChange)
    {
        var me = (await currentUser.GetClaimedAsync()).Id;
        await using var db = await factory.CreateDbContextAsync();
        var partners = await db.ChatMembers
            .Where(m => chatIds.Contains(m.ChatId) && m.UserId != me && m.Chat!.Kind == ChatKind.Direct
                && db.ChatMembers.Any(mine => mine.ChatId == m.ChatId && mine.UserId == me))
            .ToDictionaryAsync(m => m.ChatId, m => m.UserId);
        Watch(owner, partners.Values, onChange);
        return partners;
    }

    /// <summary>The members of a chat of mine, followed for <paramref name="owner"/> (nobody when I am not in it).</summary>
    public async Task FollowMembersAsync(object owner, int chatId, Func<Task> onChange)
    {
        var me = (await currentUser.GetClaimedAsync()).Id;
        await using var db = await factory.CreateDbContextAsync();
        var members = await db.ChatMembers
            .Where(m => m.ChatId == chatId && db.ChatMembers.Any(mine => mine.ChatId == chatId && mine.UserId == me))
            .Select(m => m.UserId)
            .ToListAsync();
        Watch(owner, members, onChange);
    }

    /// <summary>Stops following what <paramref name="owner"/> followed.</summary>
    public void Unfollow(object owner) => Watch(owner, [], null);

    /// <summary>How <paramref name="userId"/> shows here: Offline unless a component follows them.</summary>
    public PresenceState Of(string userId)
    {
        lock (_gate)
        {
            if (!_followed.ContainsKey(userId))
            {
                return PresenceState.Offline;
            }
        }

        return tracker.StateOf(userId);
    }

    private void Watch(object owner, IEnumerable<string> people, Func<Task>? onChange)
    {
        lock (_gate)
        {
            var wanted = people.ToHashSet(StringComparer.Ordinal);
            var had = _watchers.Remove(owner, out var old) ? old.People : [];
            foreach (var userId in wanted.Except(had))
            {
                if (!_followed.TryGetValue(userId, out var followed))
                {
                    followed = _followed[userId] = new Followed(bus.Subscribe(PresenceTopics.Person(userId), _ => ChangedAsync(userId)));
                }

                followed.Watchers++;
            }

            foreach (var userId in had.Except(wanted))
            {
                if (_followed[userId] is var followed && --followed.Watchers == 0)
                {
                    followed.Subscription.Dispose();
                    _followed.Remove(userId);
                }
            }

            if (wanted.Count > 0 && onChange is not null)
            {
                _watchers[owner] = new Watcher(wanted, onChange);
            }
        }
    }

    private async Task ChangedAsync(string userId)
    {
        Func<Task>[] watching;
        lock (_gate)
        {
            watching = _watchers.Values.Where(w => w.People.Contains(userId)).Select(w => w.OnChange).ToArray();
        }

        foreach (var onChange in watching)
        {
            await onChange();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var followed in _followed.Values)
            {
                followed.Subscription.Dispose();
            }

            _followed.Clear();
            _watchers.Clear();
        }
    }

    private sealed record Watcher(HashSet<string> People, Func<Task> OnChange);

    private sealed class Followed(IDisposable subscription)
    {
        public IDisposable Subscription => subscription;

        public int Watchers { get; set; }
    }
}
