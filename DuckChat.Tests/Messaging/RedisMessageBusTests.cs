using System.Collections.Concurrent;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DuckChat.Tests.Messaging;

/// <summary>
/// Two instances' buses (each the app's own Redis bus and relay) on one real redis-server, which a test may stop,
/// restart or freeze. A fresh server per test.
/// </summary>
public sealed class RedisMessageBusTests : IAsyncLifetime
{
    private static readonly string Topic = Topics.Chat(1);

    private readonly RedisServerFixture _redis = new();
    private readonly List<Node> _nodes = [];

    [Fact]
    public async Task AnEvent_ReachesEverySubscriberOnEachInstance_Once()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await SettleAsync(a, b);

        a.Bus.Publish(Topic, new ChatChanged(1));
        await SettleAsync(a, b);

        Assert.Single(a.Received.OfType<ChatChanged>()); // its own, delivered locally, its Redis echo ignored
        Assert.Single(b.Received.OfType<ChatChanged>());
    }

    [Fact]
    public async Task RedisDown_EventsStillReachThisInstance_AtOnce_AndEveryInstanceCatchesUpWhenItIsBack()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await SettleAsync(a, b);

        _redis.Stop();
        await Eventually.TrueAsync(() => Task.FromResult(!a.Connection.Multiplexer.IsConnected), because: "the instance to notice Redis is gone");
        await PublishWithinAsync(a, new ChatChanged(1));
        Assert.Single(a.Received.OfType<ChatChanged>());

        await _redis.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(a.Received.OfType<DeliveryResumed>().Any() && b.Received.OfType<DeliveryResumed>().Any()),
            TimeSpan.FromSeconds(30), "both instances to tell their subscribers to catch up");
        // A publishes its event again once its connection is back: B gets it if it listens by then, and has caught up
        // from the database either way.
        a.Bus.Publish(Topic, new ChatChanged(2));
        await Eventually.TrueAsync(() => Task.FromResult(b.Received.Contains(new ChatChanged(2))), because: "events to cross again");
    }

    [Fact]
    public async Task InstanceStartedWhileRedisIsDown_SubscribesOnce_WhenRedisComes()
    {
        var a = await StartNodeAsync();
        await SettleAsync(a);
        _redis.Stop();
        var late = await StartNodeAsync(redisIsUp: false);
        Assert.False(late.Connection.Multiplexer.IsConnected); // waits for its first attempt to connect, which fails

        await _redis.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(late.Received.OfType<DeliveryResumed>().Any()), TimeSpan.FromSeconds(30),
            "the late instance to subscribe once Redis is there");
        await Eventually.TrueAsync(() => Task.FromResult(a.Connection.Multiplexer.IsConnected), TimeSpan.FromSeconds(30), "the first instance to reconnect");
        a.Bus.Publish(Topic, new ChatChanged(1));
        await SettleAsync(a, late);

        Assert.Single(late.Received.OfType<ChatChanged>());
    }

    [Fact]
    public async Task FrozenRedis_DoesNotHoldUpPublishing()
    {
        var a = await StartNodeAsync();
        await SettleAsync(a);

        _redis.Freeze(true);
        try
        {
            for (var i = 0; i < 20; i++)
            {
                await PublishWithinAsync(a, new ChatChanged(i));
            }

            Assert.Equal(20, a.Received.OfType<ChatChanged>().Count());
        }
        finally
        {
            _redis.Freeze(false);
        }
    }

    [Fact]
    public async Task PublishingConnectionKilledWhileSending_TheOtherInstanceGetsEveryEvent()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await SettleAsync(a, b);
        var sent = new List<BusEvent>();
        void Send(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var next = new ChatChanged(1000 + sent.Count);
                sent.Add(next);
                a.Bus.Publish(Topic, next);
            }
        }

        // The connection is killed while thousands of events are on their way (the multiplexer reconnects at once).
        Send(4000);
        await _redis.CommandAsync("CLIENT", "KILL", "TYPE", "normal");
        var arrivedBeforeTheKill = b.Received.ToHashSet();
        Send(1000);
        await Eventually.TrueAsync(() => Task.FromResult(a.PublishingConnectionRestores > 0), because: "A's publishing connection to come back");
        Send(10);

        Assert.False(arrivedBeforeTheKill.IsSupersetOf(sent.Take(4000)), "the kill came after every event had arrived: nothing was on its way");
        await Eventually.TrueAsync(() => Task.FromResult(b.Received.ToHashSet().IsSupersetOf(sent)), because: "every event to reach B");
        await SettleAsync(a, b);
        Assert.Empty(a.Received.OfType<DeliveryResumed>());
        Assert.Empty(b.Received.OfType<DeliveryResumed>()); // nothing was given up, so nothing to re-read
    }

    [Fact]
    public async Task EventPublishedWhileThePublishingConnectionIsDown_ReachesTheOtherInstanceWhenItIsBack()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await SettleAsync(a, b);

        await using (await _redis.ShutOutCommandConnectionsAsync())
        {
            await Eventually.TrueAsync(() => Task.FromResult(a.PublishingConnectionDown), because: "A to notice its publishing connection is gone");
            await PublishWithinAsync(a, new ChatChanged(7));
        }

        await Eventually.TrueAsync(() => Task.FromResult(b.Received.Contains(new ChatChanged(7))), because: "the event to reach B once A's connection is back");
        await SettleAsync(a, b);
        Assert.Single(b.Received.OfType<ChatChanged>(), e => e.ChatId == 7);
        Assert.Empty(a.Received.OfType<DeliveryResumed>());
        Assert.Empty(b.Received.OfType<DeliveryResumed>());
    }

    [Fact]
    public async Task MoreEventsThanMayWait_WhileThePublishingConnectionIsDown_TheOtherInstanceCatchesUpOnce()
    {
        var a = await StartNodeAsync(configure: options => options.MaxQueuedEvents = 2);
        var b = await StartNodeAsync();
        await SettleAsync(a, b);

        await using (await _redis.ShutOutCommandConnectionsAsync())
        {
            await Eventually.TrueAsync(() => Task.FromResult(a.PublishingConnectionDown), because: "A to notice its publishing connection is gone");
            for (var i = 0; i < 3; i++)
            {
                await PublishWithinAsync(a, new ChatChanged(10 + i)); // the third finds two waiting: all are given up
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(b.Received.OfType<DeliveryResumed>().Any()), because: "B to be told to catch up");
        await SettleAsync(a, b);
        Assert.Single(b.Received.OfType<DeliveryResumed>());
        Assert.DoesNotContain(b.Received, e => e is ChatChanged { ChatId: >= 10 and < 13 }); // replaced by the catch-up
        Assert.Empty(a.Received.OfType<DeliveryResumed>()); // A has everything it published itself
    }

    [Fact]
    public async Task EventWaitingLongerThanTheResendWindow_IsGivenUp_AndTheOtherInstanceCatchesUpOnce()
    {
        var a = await StartNodeAsync(configure: options => options.ResendWindow = TimeSpan.Zero);
        var b = await StartNodeAsync();
        await SettleAsync(a, b);

        await using (await _redis.ShutOutCommandConnectionsAsync())
        {
            await Eventually.TrueAsync(() => Task.FromResult(a.PublishingConnectionDown), because: "A to notice its publishing connection is gone");
            await PublishWithinAsync(a, new ChatChanged(20));
        }

        await Eventually.TrueAsync(() => Task.FromResult(b.Received.OfType<DeliveryResumed>().Any()), because: "B to be told to catch up");
        await SettleAsync(a, b);
        Assert.Single(b.Received.OfType<DeliveryResumed>());
        Assert.DoesNotContain(new ChatChanged(20), b.Received); // too late to be trusted over what B re-read
        Assert.Empty(a.Received.OfType<DeliveryResumed>());
    }

    [Fact]
    public async Task RedisRestartedUnderThreeInstances_EverySubscriberCatchesUpExactlyOnce()
    {
        Node[] nodes = [await StartNodeAsync(), await StartNodeAsync(), await StartNodeAsync()];
        await SettleAsync(nodes);

        _redis.Stop();
        await Eventually.TrueAsync(() => Task.FromResult(nodes.All(node => node.PublishingConnectionDown)), because: "every instance to notice Redis is gone");
        await PublishWithinAsync(nodes[0], new ChatChanged(30)); // waits for Redis, and is published when it is back
        await _redis.StartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(nodes.All(node => node.Received.OfType<DeliveryResumed>().Any())), TimeSpan.FromSeconds(30),
            "every instance to catch up");
        foreach (var node in nodes)
        {
            await SettleAsync([node, .. nodes.Except([node])]); // whatever each instance announced has arrived everywhere
        }

        Assert.All(nodes, node => Assert.Single(node.Received.OfType<DeliveryResumed>()));
    }

    [Fact]
    public async Task OneInstancesSubscriptionDropped_ThatInstanceAloneCatchesUp_Once()
    {
        var a = await StartNodeAsync("node-a");
        var b = await StartNodeAsync("node-b");
        await SettleAsync(a, b);

        await _redis.CommandAsync("CLIENT", "KILL", "ID", await _redis.ClientIdAsync("node-b", "pubsub"));

        await Eventually.TrueAsync(() => Task.FromResult(b.Received.OfType<DeliveryResumed>().Any()), TimeSpan.FromSeconds(30), "B to catch up");
        await SettleAsync(b, a);
        await SettleAsync(a, b);
        Assert.Single(b.Received.OfType<DeliveryResumed>());
        Assert.Empty(a.Received.OfType<DeliveryResumed>()); // A missed nothing
    }

    [Fact]
    public void EveryEventType_CrossesRedisIntact()
    {
        var message = new Web.Chats.MessageView(7, 3, 42, "u1", "alice", "hi 🦆", new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc), null, false,
            ChangeSeq: 5, ReplyToId: 6)
        {
            ReplyTo = new Web.Chats.ReplyQuote(6, 41, "bob", "what?", false, 2),
            Reactions = [new Web.Chats.ReactionGroup("👍️", ["u2", "u3"], ["bob", "carol"])],
            Mentions = [new Web.Chats.Mentions.Mention("u2", "bob", Web.Data.MentionKind.Person), new Web.Chats.Mentions.Mention(null, "all", Web.Data.MentionKind.All)],
        };
        var instance = Guid.NewGuid();
        BusEvent[] samples =
        [
            new DarkModeChanged("u1", false), new AccountSignedOut("u1"), new MessagePosted(message, MentionsYou: true), new MessageChanged(message with { Deleted = true }),
            new ChatChanged(3), new MemberRemoved(3, "u2"), new ReadPositionChanged("u1", 3, 41), new ChatDeleted(3), new DeliveryResumed(),
            new NotifyLevelChanged("u1", Web.Accounts.NotifyLevel.All), new ChatMuted("u1", 3, Web.Data.MuteLevel.ExceptMentions),
            new PresenceChanged("u2", Web.Presence.PresenceState.Away), new AppearOfflineChanged("u2", true),
            new InstancePresenceChanged(instance, 4, 5, [new Web.Presence.PresenceEntry("u2", Web.Presence.InstancePresence.Away), new Web.Presence.PresenceEntry("u3", null)]),
            new InstanceAlive(instance, 5), new InstanceStopped(instance), new TypingStarted(3, "u2", "bob"),
        ];
        var everyType = typeof(BusEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BusEvent)) && !t.IsAbstract);
        Assert.Equal(everyType.OrderBy(t => t.Name), samples.Select(s => s.GetType()).OrderBy(t => t.Name)); // a new event type needs a sample here

        foreach (var sample in samples)
        {
            var envelope = new RedisEnvelope(Guid.NewGuid(), "chat:3", sample);
            var read = RedisEnvelope.FromBytes(envelope.ToBytes());
            // Field by field: a message's reactions are a list, which a record compares by reference.
            Assert.Equivalent(envelope, read, strict: true);
        }

        foreach (var announcement in Enum.GetValues<Announcement>())
        {
            var envelope = RedisEnvelope.Announce(Guid.NewGuid(), announcement);
            Assert.Equal(envelope, RedisEnvelope.FromBytes(envelope.ToBytes()));
        }
    }

    /// <summary>Publishing returns promptly (a send must never wait for Redis), and the local subscriber has the event.</summary>
    private static async Task PublishWithinAsync(Node node, BusEvent busEvent)
    {
        var before = node.Received.Count;
        await Task.Run(() => node.Bus.Publish(Topic, busEvent)).WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await node.Local.DeliveredAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(before + 1, node.Received.Count);
    }

    /// <summary>
    /// Publishes a marker from the first node at every poll until every node has one: then each is subscribed, and
    /// everything the first node sent before has arrived (one channel keeps order).
    /// </summary>
    private static Task SettleAsync(params Node[] nodes)
    {
        var markers = new List<BusEvent>();
        return Eventually.TrueAsync(() =>
        {
            var arrived = nodes.All(node => node.Received.Any(markers.Contains));
            if (!arrived)
            {
                var marker = new ChatDeleted(Random.Shared.Next());
                markers.Add(marker);
                nodes[0].Bus.Publish(Topic, marker);
            }

            return Task.FromResult(arrived);
        }, because: "every instance to receive a marker");
    }

    /// <summary>
    /// An instance on the test's Redis, once its subscribers have had the catch-up that starting makes (which it
    /// forgets, so a test counts only what came after); <paramref name="name"/> is its client name there.
    /// </summary>
    private async Task<Node> StartNodeAsync(string? name = null, Action<RedisOptions>? configure = null, bool redisIsUp = true)
    {
        var options = new RedisOptions { Configuration = name is null ? _redis.Configuration : $"{_redis.Configuration},name={name}" };
        configure?.Invoke(options);
        var node = new Node(options);
        _nodes.Add(node);
        await node.StartAsync();
        if (redisIsUp)
        {
            await Eventually.TrueAsync(() => Task.FromResult(node.Received.OfType<DeliveryResumed>().Any()), because: "the catch-up that starting makes");
            node.Received.Clear();
        }

        return node;
    }

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _redis.RequireServer();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    /// <summary>One instance's messaging, wired as the app wires it, with one subscriber recording the topic.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly RedisEventRelay _relay;
        private readonly IDisposable _subscription;

        /// <summary>The instance's own bus, under the Redis one.</summary>
        public InProcessMessageBus Local { get; }

        private int _publishingConnectionFailures;
        private int _publishingConnectionRestores;

        public Node(RedisOptions settings)
        {
            var options = Options.Create(settings);
            var local = Local = new InProcessMessageBus(UnhostedMetrics.Instance, NullLogger<InProcessMessageBus>.Instance);
            Connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
            Bus = new RedisMessageBus(local, Connection, options, TimeProvider.System, UnhostedMetrics.Instance, NullLogger<RedisMessageBus>.Instance);
            _relay = new RedisEventRelay(local, Bus, Connection, options, NullLogger<RedisEventRelay>.Instance);
            _subscription = Bus.Subscribe(Topic, e =>
            {
                Received.Enqueue(e);
                return Task.CompletedTask;
            });
        }

        public RedisConnection Connection { get; }

        public RedisMessageBus Bus { get; }

        public ConcurrentQueue<BusEvent> Received { get; } = new();

        /// <summary>The multiplexer has reported its publishing (interactive) connection lost and not yet restored.</summary>
        public bool PublishingConnectionDown => Volatile.Read(ref _publishingConnectionFailures) > Volatile.Read(ref _publishingConnectionRestores);

        public int PublishingConnectionRestores => Volatile.Read(ref _publishingConnectionRestores);

        public async Task StartAsync()
        {
            await _relay.StartAsync(CancellationToken.None);
            Connection.Multiplexer.ConnectionFailed += (_, e) =>
            {
                if (e.ConnectionType == ConnectionType.Interactive)
                {
                    Interlocked.Increment(ref _publishingConnectionFailures);
                }
            };
            Connection.Multiplexer.ConnectionRestored += (_, e) =>
            {
                if (e.ConnectionType == ConnectionType.Interactive)
                {
                    Interlocked.Increment(ref _publishingConnectionRestores);
                }
            };
        }

        public async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _relay.StopAsync(CancellationToken.None);
            _relay.Dispose();
            Connection.Dispose();
        }
    }
}
