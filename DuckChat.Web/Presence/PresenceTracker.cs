using System.Threading.Channels;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Presence;

/// <summary>
/// Who is around, for this instance: the tabs (circuits) of each person here, and what the other instances say of
/// their people. A person is online while one of their tabs anywhere is looked at, and for
/// <see cref="PresenceOptions.AwayAfter"/> after; away while tabs are open but none is looked at; offline with no tab,
/// or when they appear offline. Nothing here is stored in the database.
/// <para>
/// This instance's part is numbered change by change and handed to <see cref="PresenceRelay"/> (through
/// <see cref="Changes"/>), which keeps it in Redis and tells the other instances. Their parts come back through the
/// relay and live as long as their heartbeats keep coming: an instance that dies takes its people with it within
/// <see cref="PresenceOptions.Expiry"/>. Every change of how a person shows is published on this instance's bus on
/// <see cref="PresenceTopics.Person"/>, for the tabs that show them. Reads are for the server's own use and do not
/// check who may see whom; <see cref="PresenceView"/> does that for pages.
/// </para>
/// </summary>
public sealed class PresenceTracker : IDisposable
{
    private readonly InProcessMessageBus _local;
    private readonly PresenceOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LocalPerson> _people = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, RemoteInstance> _instances = [];
    private readonly Channel<LocalPresenceChange>? _changes;
    private readonly ITimer _sweep;
    private long _version;

    public PresenceTracker(InProcessMessageBus local, IOptions<PresenceOptions> options, IOptions<RedisOptions> redis, TimeProvider time)
    {
        _local = local;
        _options = options.Value;
        _time = time;
        _changes = redis.Value.IsConfigured ? Channel.CreateUnbounded<LocalPresenceChange>(new() { SingleReader = true }) : null;
        _sweep = time.CreateTimer(_ => Sweep(), null, _options.SweepEvery, _options.SweepEvery);
    }

    /// <summary>This instance's changes, in order, for the other instances; null without Redis (nobody to tell).</summary>
    public ChannelReader<LocalPresenceChange>? Changes => _changes?.Reader;

    /// <summary>How <paramref name="userId"/> shows, on every instance. No check of who asks: see <see cref="PresenceView"/>.</summary>
    public PresenceState StateOf(string userId)
    {
        lock (_gate)
        {
            return Shown(Highest(userId));
        }
    }

    public bool IsOnline(string userId) => StateOf(userId) == PresenceState.Online;

    /// <summary>Whether the person has a tab open on any instance, even one appearing offline.</summary>
    public bool HasOpenTab(string userId)
    {
        lock (_gate)
        {
            return Highest(userId) is not null;
        }
    }

    /// <summary>Whether the person appears offline, when they have a tab here (null: not known here).</summary>
    public bool? AppearsOfflineHere(string userId)
    {
        lock (_gate)
        {
            return _people.TryGetValue(userId, out var person) ? person.AppearsOffline : null;
        }
    }

    /// <summary>A tab opened; it counts as looked at until it says otherwise. <paramref name="appearOffline"/> applies to a person new here.</summary>
    public void Open(string userId, string tab, bool appearOffline) => Change(userId, (person, _) => person.Tabs[tab] = true, appearOffline);

    /// <summary>A tab is looked at (visible, focused, in use) or not.</summary>
    public void SetActive(string userId, string tab, bool active) => Change(userId, (person, _) =>
    {
        if (person.Tabs.ContainsKey(tab))
        {
            person.Tabs[tab] = active;
        }
    });

    /// <summary>A tab closed; true when it was the person's last tab on this instance.</summary>
    public bool Close(string userId, string tab)
    {
        var last = false;
        Change(userId, (person, _) =>
        {
            person.Tabs.Remove(tab);
            last = person.Tabs.Count == 0;
        });
        return last;
    }

    /// <summary>The person's appear-offline switch changed (it applies to their tabs here, if any).</summary>
    public void SetAppearOffline(string userId, bool appearOffline) => Change(userId, (person, _) => person.AppearsOffline = appearOffline);

    /// <summary>This instance's whole part and the version it is at (for Redis, when it must be written afresh).</summary>
    public (long Version, IReadOnlyList<PresenceEntry> People) LocalSnapshot()
    {
        lock (_gate)
        {
            return (_version, _people.Where(p => p.Value.Published is not null).Select(p => new PresenceEntry(p.Key, p.Value.Published)).ToList());
        }
    }

    /// <summary>Another instance's heartbeat, saying Redis holds its people at <paramref name="version"/>.</summary>
    public RemoteStatus Heard(Guid instance, long version)
    {
        lock (_gate)
        {
            var known = _instances.TryGetValue(instance, out var remote);
            remote = Alive(instance, remote);
            return !known ? RemoteStatus.New : version > remote.Version ? RemoteStatus.Behind : RemoteStatus.Current;
        }
    }

    /// <summary>Applies another instance's changes; false when they do not follow what is known of it, so its state must be read whole.</summary>
    public bool Apply(InstancePresenceChanged change)
    {
        List<PresenceChanged>? changed = null;
        lock (_gate)
        {
            var remote = Alive(change.Instance, _instances.GetValueOrDefault(change.Instance));
            if (change.Version <= remote.Version)
            {
                return true; // already known, from a read of its whole state
            }

            if (change.Previous != remote.Version)
            {
                return false;
            }

            var before = change.People.Select(p => (p.UserId, Shown(Highest(p.UserId)))).ToList();
            foreach (var entry in change.People)
            {
                Set(remote.People, entry);
            }

            remote.Version = change.Version;
            Collect(ref changed, before);
        }

        Notify(changed);
        return true;
    }

    /// <summary>Another instance's whole state as Redis holds it; ignored when changes newer than it have arrived.</summary>
    public void ApplySnapshot(Guid instance, long version, IReadOnlyList<PresenceEntry> people)
    {
        List<PresenceChanged>? changed = null;
        lock (_gate)
        {
            var remote = Alive(instance, _instances.GetValueOrDefault(instance));
            if (version < remote.Version)
            {
                return;
            }

            var before = remote.People.Keys.Union(people.Select(p => p.UserId)).Select(id => (id, Shown(Highest(id)))).ToList();
            remote.People.Clear();
            foreach (var entry in people)
            {
                Set(remote.People, entry);
            }

            remote.Version = version;
            Collect(ref changed, before);
        }

        Notify(changed);
    }

    /// <summary>An instance stopped: its people are gone from it.</summary>
    public void Forget(Guid instance)
    {
        List<PresenceChanged>? changed = null;
        lock (_gate)
        {
            Remove(instance, ref changed);
        }

        Notify(changed);
    }

    /// <summary>Events between instances may have been lost: each instance's state is read whole at its next heartbeat.</summary>
    public void RequireSnapshots()
    {
        lock (_gate)
        {
            foreach (var remote in _instances.Values)
            {
                remote.Version = -1;
            }
        }
    }

    /// <summary>People whose grace has passed become away; instances whose heartbeat stopped are forgotten.</summary>
    private void Sweep()
    {
        List<PresenceChanged>? changed = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var (userId, person) in _people.Where(p => p.Value.Published == InstancePresence.Online && !p.Value.Tabs.ContainsValue(true)).ToList())
            {
                var before = Shown(Highest(userId));
                Publish(userId, person, now);
                Collect(ref changed, [(userId, before)]);
            }

            foreach (var dead in _instances.Where(i => i.Value.AliveUntil <= now).Select(i => i.Key).ToList())
            {
                Remove(dead, ref changed);
            }
        }

        Notify(changed);
    }

    private void Change(string userId, Action<LocalPerson, DateTimeOffset> change, bool appearOffline = false)
    {
        List<PresenceChanged>? changed = null;
        lock (_gate)
        {
            var before = Shown(Highest(userId));
            if (!_people.TryGetValue(userId, out var person))
            {
                person = new LocalPerson { AppearsOffline = appearOffline };
                _people[userId] = person;
            }

            var now = _time.GetUtcNow();
            var wasActive = person.Tabs.ContainsValue(true);
            change(person, now);
            if (wasActive && !person.Tabs.ContainsValue(true))
            {
                person.LastActive = now;
            }

            Publish(userId, person, now);
            if (person.Tabs.Count == 0)
            {
                _people.Remove(userId);
            }

            Collect(ref changed, [(userId, before)]);
        }

        Notify(changed);
    }

    /// <summary>Works out what this instance says of the person now, and numbers and hands on a change.</summary>
    private void Publish(string userId, LocalPerson person, DateTimeOffset now)
    {
        InstancePresence? state = person.Tabs.Count == 0 ? null
            : person.AppearsOffline ? InstancePresence.Invisible
            : person.Tabs.ContainsValue(true) || now < person.LastActive + _options.AwayAfter ? InstancePresence.Online
            : InstancePresence.Away;
        if (state == person.Published)
        {
            return;
        }

        person.Published = state;
        _changes?.Writer.TryWrite(new LocalPresenceChange(userId, state, ++_version));
    }

    private RemoteInstance Alive(Guid instance, RemoteInstance? remote)
    {
        remote ??= _instances[instance] = new RemoteInstance();
        remote.AliveUntil = _time.GetUtcNow() + _options.Expiry;
        return remote;
    }

    private void Remove(Guid instance, ref List<PresenceChanged>? changed)
    {
        if (!_instances.TryGetValue(instance, out var remote))
        {
            return;
        }

        var before = remote.People.Keys.Select(id => (id, Shown(Highest(id)))).ToList();
        _instances.Remove(instance);
        Collect(ref changed, before);
    }

    private InstancePresence? Local(string userId) => _people.GetValueOrDefault(userId)?.Published;

    private InstancePresence? Highest(string userId)
    {
        var highest = Local(userId);
        foreach (var remote in _instances.Values)
        {
            highest = Combine(highest, remote.People.GetValueOrDefault(userId));
        }

        return highest;
    }

    private static InstancePresence? Combine(InstancePresence? a, InstancePresence? b) => a > b || b is null ? a : b;

    private static PresenceState Shown(InstancePresence? highest) => highest switch
    {
        InstancePresence.Online => PresenceState.Online,
        InstancePresence.Away => PresenceState.Away,
        _ => PresenceState.Offline,
    };

    private static void Set(Dictionary<string, InstancePresence> people, PresenceEntry entry)
    {
        if (entry.State is { } state)
        {
            people[entry.UserId] = state;
        }
        else
        {
            people.Remove(entry.UserId);
        }
    }

    private void Collect(ref List<PresenceChanged>? changed, IEnumerable<(string UserId, PresenceState Before)> before)
    {
        foreach (var (userId, was) in before)
        {
            if (Shown(Highest(userId)) is var now && now != was)
            {
                (changed ??= []).Add(new PresenceChanged(userId, now));
            }
        }
    }

    private void Notify(List<PresenceChanged>? changed)
    {
        foreach (var change in changed ?? [])
        {
            _local.Publish(PresenceTopics.Person(change.UserId), change);
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _changes?.Writer.TryComplete();
    }

    private sealed class LocalPerson
    {
        /// <summary>Each open tab here, and whether it is looked at.</summary>
        public Dictionary<string, bool> Tabs { get; } = new(StringComparer.Ordinal);

        public bool AppearsOffline { get; set; }

        /// <summary>When the last looked-at tab stopped being looked at.</summary>
        public DateTimeOffset LastActive { get; set; }

        /// <summary>What this instance last said of the person (null: no tab here).</summary>
        public InstancePresence? Published { get; set; }
    }

    private sealed class RemoteInstance
    {
        public Dictionary<string, InstancePresence> People { get; } = new(StringComparer.Ordinal);

        /// <summary>The version of its state known here; -1 until its whole state has been read.</summary>
        public long Version { get; set; } = -1;

        public DateTimeOffset AliveUntil { get; set; }
    }
}

/// <summary>What a heartbeat says of another instance: known and up to date, known but ahead of what is known here, or new.</summary>
public enum RemoteStatus { Current, Behind, New }
