using System.Collections.Concurrent;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
        Assert.Empty(b.Received.OfType<ChatChanged>()); // plain pub/sub kept nothing: the database is where B catches up
        a.Bus.Publish(Topic, new ChatChanged(2));
        await Eventually.TrueAsync(() => Task.FromResult(b.Received.OfType<ChatChanged>().Any()), because: "events to cross again");
    }

    [Fact]
    public async Task InstanceStartedWhileRedisIsDown_SubscribesOnce_WhenRedisComes()
    {
        var a = await StartNodeAsync();
        await SettleAsync(a);
        _redis.Stop();
        var late = await StartNodeAsync();
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
    public void EveryEventType_CrossesRedisIntact()
    {
        var message = new Web.Chats.MessageView(7, 3, 42, "u1", "alice", "hi 🦆", new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc), null, false);
        BusEvent[] samples =
        [
            new DarkModeChanged("u1", false), new AccountSignedOut("u1"), new MessagePosted(message), new MessageChanged(message with { Deleted = true }),
            new ChatChanged(3), new MemberRemoved(3, "u2"), new ReadPositionChanged("u1", 3, 41), new ChatDeleted(3), new DeliveryResumed(),
        ];
        var everyType = typeof(BusEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BusEvent)) && !t.IsAbstract);
        Assert.Equal(everyType.OrderBy(t => t.Name), samples.Select(s => s.GetType()).OrderBy(t => t.Name)); // a new event type needs a sample here

        foreach (var sample in samples)
        {
            var envelope = new RedisEnvelope(Guid.NewGuid(), "chat:3", sample);
            var read = RedisEnvelope.FromBytes(envelope.ToBytes());
            Assert.Equal(envelope, read);
        }
    }

    /// <summary>Publishing returns promptly (a send must never wait for Redis), and the local subscriber has the event.</summary>
    private static async Task PublishWithinAsync(Node node, BusEvent busEvent)
    {
        var before = node.Received.Count;
        await Task.Run(() => node.Bus.Publish(Topic, busEvent)).WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
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

    private async Task<Node> StartNodeAsync()
    {
        var node = new Node(_redis.Configuration);
        _nodes.Add(node);
        await node.StartAsync();
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

        public Node(string configuration)
        {
            var options = Options.Create(new RedisOptions { Configuration = configuration });
            var local = new InProcessMessageBus(NullLogger<InProcessMessageBus>.Instance);
            Connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
            Bus = new RedisMessageBus(local, Connection, NullLogger<RedisMessageBus>.Instance);
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

        public Task StartAsync() => _relay.StartAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _relay.StopAsync(CancellationToken.None);
            _relay.Dispose();
            Connection.Dispose();
        }
    }
}
