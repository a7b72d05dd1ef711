using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckChat.Tests.Messaging;

public sealed class InProcessMessageBusTests
{
    private readonly InProcessMessageBus _bus = new(UnhostedMetrics.Instance, NullLogger<InProcessMessageBus>.Instance);

    [Fact]
    public async Task Publish_ReachesEverySubscriberOfTheTopicOnly()
    {
        var first = new List<BusEvent>();
        var second = new List<BusEvent>();
        var otherTopic = new List<BusEvent>();
        using var a = _bus.Subscribe(Topics.User("u1"), Record(first));
        using var b = _bus.Subscribe(Topics.User("u1"), Record(second));
        using var c = _bus.Subscribe(Topics.User("u2"), Record(otherTopic));

        var published = new DarkModeChanged("u1", false);
        _bus.Publish(Topics.User("u1"), published);
        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);

        Assert.Equal([published], first);
        Assert.Equal([published], second);
        Assert.Empty(otherTopic);
    }

    [Fact]
    public async Task DisposedSubscription_GetsNothingAndDisposingTwiceIsHarmless()
    {
        var received = new List<BusEvent>();
        var kept = new List<BusEvent>();
        var subscription = _bus.Subscribe(Topics.User("u1"), Record(received));
        using var other = _bus.Subscribe(Topics.User("u1"), Record(kept));

        subscription.Dispose();
        subscription.Dispose();
        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));
        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);

        Assert.Empty(received);
        Assert.Single(kept);
    }

    [Fact]
    public async Task ThrowingSubscriber_DoesNotStopTheOthers()
    {
        var before = new List<BusEvent>();
        var after = new List<BusEvent>();
        using var a = _bus.Subscribe(Topics.User("u1"), Record(before));
        using var thrower = _bus.Subscribe(Topics.User("u1"), _ => throw new InvalidOperationException("boom"));
        using var faulted = _bus.Subscribe(Topics.User("u1"), _ => Task.FromException(new InvalidOperationException("async boom")));
        using var b = _bus.Subscribe(Topics.User("u1"), Record(after));

        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));
        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", false)); // the failing ones still get their next event
        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, before.Count);
        Assert.Equal(2, after.Count);
    }

    [Fact]
    public async Task SlowSubscriber_DoesNotHoldUpPublish()
    {
        var release = new TaskCompletionSource();
        var fast = new List<BusEvent>();
        using var slow = _bus.Subscribe(Topics.User("u1"), _ => release.Task);
        using var quick = _bus.Subscribe(Topics.User("u1"), Record(fast));

        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));

        await Eventually.TrueAsync(() => Task.FromResult(Count(fast) == 1), because: "the quick subscriber to get the event while the slow one waits");
        release.SetResult();
        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task EachSubscriber_GetsItsEventsInOrder_OneAtATime_NeverOnThePublishersThread()
    {
        var seen = new List<(int Number, bool OnPublisher)>();
        var running = 0;
        var overlapped = false;
        using var subscription = _bus.Subscribe(Topics.User("u1"), async e =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            lock (seen)
            {
                seen.Add((((ChatChanged)e).ChatId, Publishing));
            }

            await Task.Yield(); // a handler that is still running when the next event comes
            Interlocked.Decrement(ref running);
        });

        Publishing = true;
        for (var i = 0; i < 200; i++)
        {
            _bus.Publish(Topics.User("u1"), new ChatChanged(i));
        }

        Publishing = false;
        await _bus.DeliveredAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 200), seen.Select(s => s.Number));
        Assert.DoesNotContain(seen, s => s.OnPublisher);
        Assert.False(overlapped);
    }

    /// <summary>Whether this thread is the one publishing (a handler run inline would see true).</summary>
    [ThreadStatic]
    private static bool Publishing;

    private static int Count(List<BusEvent> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static Func<BusEvent, Task> Record(List<BusEvent> into) => e =>
    {
        lock (into)
        {
            into.Add(e);
        }

        return Task.CompletedTask;
    };
}
