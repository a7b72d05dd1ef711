using System.Collections.Concurrent;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using DuckChat.Web.Presence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Presence;

/// <summary>The tracker's aggregation of tabs and instances, its grace and its expiry, on a fake clock.</summary>
public sealed class PresenceTrackerTests : IDisposable
{
    private static readonly TimeSpan AwayAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(45);
    private static readonly Guid Other = Guid.NewGuid();

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly InProcessMessageBus _bus = new(UnhostedMetrics.Instance, NullLogger<InProcessMessageBus>.Instance);
    private readonly ConcurrentQueue<PresenceChanged> _published = new();
    private readonly PresenceTracker _tracker;

    public PresenceTrackerTests() : this(redis: false)
    {
    }

    private PresenceTrackerTests(bool redis)
    {
        _tracker = new PresenceTracker(_bus,
            Options.Create(new PresenceOptions { AwayAfter = AwayAfter, Expiry = Expiry }),
            Options.Create(new RedisOptions { Configuration = redis ? "localhost:1" : null }), _time);
        _bus.Subscribe(PresenceTopics.Person("alice"), e =>
        {
            _published.Enqueue((PresenceChanged)e);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task TwoTabs_OnlineWhileOneIsLookedAt_AwayOnlyAfterTheGrace_OfflineWhenBothClose()
    {
        _tracker.Open("alice", "tab-1", appearOffline: false);
        _tracker.Open("alice", "tab-2", appearOffline: false);
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));

        _tracker.SetActive("alice", "tab-1", false);
        _tracker.SetActive("alice", "tab-2", false);
        _time.Advance(AwayAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));

        _time.Advance(Expiry / 3); // the next sweep after the grace
        Assert.Equal(PresenceState.Away, _tracker.StateOf("alice"));
        Assert.True(_tracker.HasOpenTab("alice"));

        _tracker.SetActive("alice", "tab-2", true);
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));
        Assert.False(_tracker.Close("alice", "tab-1"));
        Assert.True(_tracker.Close("alice", "tab-2"));
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));
        Assert.False(_tracker.HasOpenTab("alice"));

        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);
        Assert.Equal([PresenceState.Online, PresenceState.Away, PresenceState.Online, PresenceState.Offline], _published.Select(p => p.State));
    }

    [Fact]
    public void AppearingOffline_ShowsOffline_ButTheTabsStayOpen_AndAppliesToTabsOpenedLater()
    {
        _tracker.Open("alice", "tab-1", appearOffline: false);
        _tracker.SetAppearOffline("alice", true);
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));
        Assert.True(_tracker.HasOpenTab("alice"));

        _tracker.Open("alice", "tab-2", appearOffline: false); // the switch is known here: the tab's own read is not needed
        Assert.Equal(true, _tracker.AppearsOfflineHere("alice"));
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));

        _tracker.SetAppearOffline("alice", false);
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));
        Assert.Null(_tracker.AppearsOfflineHere("bob"));
    }

    [Fact]
    public async Task AnotherInstancesPeople_CountUntilItsHeartbeatStops_ThenGoOfflineWithinTheExpiry()
    {
        Assert.Equal(RemoteStatus.New, _tracker.Heard(Other, 3));
        _tracker.ApplySnapshot(Other, 3, [new PresenceEntry("alice", InstancePresence.Away)]);
        Assert.Equal(PresenceState.Away, _tracker.StateOf("alice"));
        Assert.Equal(RemoteStatus.Current, _tracker.Heard(Other, 3));

        Assert.True(_tracker.Apply(new InstancePresenceChanged(Other, 3, 4, [new PresenceEntry("alice", InstancePresence.Online)])));
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));

        // Beats keep it alive past the expiry; without them it goes, and alice with it.
        _time.Advance(Expiry - TimeSpan.FromSeconds(5));
        _tracker.Heard(Other, 4);
        _time.Advance(Expiry - TimeSpan.FromSeconds(5));
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));
        _time.Advance(Expiry / 3);
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));

        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);
        Assert.Equal(PresenceState.Offline, _published.Last().State);
    }

    [Fact]
    public void ChangesThatSkipAVersion_AskForTheWholeState_AndAnOlderSnapshotChangesNothing()
    {
        _tracker.Heard(Other, 5);
        _tracker.ApplySnapshot(Other, 5, [new PresenceEntry("alice", InstancePresence.Online)]);

        Assert.False(_tracker.Apply(new InstancePresenceChanged(Other, 6, 7, [new PresenceEntry("alice", null)])));
        Assert.Equal(PresenceState.Online, _tracker.StateOf("alice"));
        Assert.Equal(RemoteStatus.Behind, _tracker.Heard(Other, 7));

        _tracker.ApplySnapshot(Other, 7, []);
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));
        _tracker.ApplySnapshot(Other, 6, [new PresenceEntry("alice", InstancePresence.Online)]);
        Assert.Equal(PresenceState.Offline, _tracker.StateOf("alice"));
    }

    [Theory]
    [InlineData(InstancePresence.Online, PresenceState.Online)]
    [InlineData(InstancePresence.Invisible, PresenceState.Offline)]
    public void HereAndElsewhere_TheHighestWins_AndAppearingOfflineAnywhereWinsAll(InstancePresence elsewhere, PresenceState shown)
    {
        _tracker.Open("alice", "tab-1", appearOffline: false);
        _tracker.SetActive("alice", "tab-1", false);
        _time.Advance(AwayAfter + Expiry);
        Assert.Equal(PresenceState.Away, _tracker.StateOf("alice"));

        _tracker.Heard(Other, 1);
        _tracker.ApplySnapshot(Other, 1, [new PresenceEntry("alice", elsewhere)]);

        Assert.Equal(shown, _tracker.StateOf("alice"));
        _tracker.Forget(Other);
        Assert.Equal(PresenceState.Away, _tracker.StateOf("alice"));
    }

    [Fact]
    public void WithRedis_EveryChangeOfThisInstance_IsNumberedInOrder_ForTheOthers()
    {
        using var clustered = new PresenceTrackerTests(redis: true);
        var tracker = clustered._tracker;
        tracker.Open("alice", "tab-1", appearOffline: false);
        tracker.SetActive("alice", "tab-1", true); // no change: nothing to tell
        tracker.SetAppearOffline("alice", true);
        tracker.Close("alice", "tab-1");

        var changes = new List<LocalPresenceChange>();
        while (tracker.Changes!.TryRead(out var change))
        {
            changes.Add(change);
        }

        Assert.Equal([(InstancePresence?)InstancePresence.Online, InstancePresence.Invisible, null], changes.Select(c => c.State));
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.Version));
        Assert.Equal((3L, 0), (tracker.LocalSnapshot().Version, tracker.LocalSnapshot().People.Count));
        Assert.Null(_tracker.Changes); // without Redis there is nobody to tell
    }

    public void Dispose() => _tracker.Dispose();
}
