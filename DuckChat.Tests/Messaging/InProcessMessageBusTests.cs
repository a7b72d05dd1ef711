using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckChat.Tests.Messaging;

public sealed class InProcessMessageBusTests
{
    private readonly InProcessMessageBus _bus = new(NullLogger<InProcessMessageBus>.Instance);

    [Fact]
    public void Publish_ReachesEverySubscriberOfTheTopicOnly()
    {
        var first = new List<BusEvent>();
        var second = new List<BusEvent>();
        var otherTopic = new List<BusEvent>();
        using var a = _bus.Subscribe(Topics.User("u1"), Record(first));
        using var b = _bus.Subscribe(Topics.User("u1"), Record(second));
        using var c = _bus.Subscribe(Topics.User("u2"), Record(otherTopic));

        var published = new DarkModeChanged("u1", false);
        _bus.Publish(Topics.User("u1"), published);

        Assert.Equal([published], first);
        Assert.Equal([published], second);
        Assert.Empty(otherTopic);
    }

    [Fact]
    public void DisposedSubscription_GetsNothingAndDisposingTwiceIsHarmless()
    {
        var received = new List<BusEvent>();
        var kept = new List<BusEvent>();
        var subscription = _bus.Subscribe(Topics.User("u1"), Record(received));
        using var other = _bus.Subscribe(Topics.User("u1"), Record(kept));

        subscription.Dispose();
        subscription.Dispose();
        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));

        Assert.Empty(received);
        Assert.Single(kept);
    }

    [Fact]
    public void ThrowingSubscriber_DoesNotStopTheOthers()
    {
        var before = new List<BusEvent>();
        var after = new List<BusEvent>();
        using var a = _bus.Subscribe(Topics.User("u1"), Record(before));
        using var thrower = _bus.Subscribe(Topics.User("u1"), _ => throw new InvalidOperationException("boom"));
        using var faulted = _bus.Subscribe(Topics.User("u1"), _ => Task.FromException(new InvalidOperationException("async boom")));
        using var b = _bus.Subscribe(Topics.User("u1"), Record(after));

        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));

        Assert.Single(before);
        Assert.Single(after);
    }

    [Fact]
    public async Task SlowSubscriber_DoesNotHoldUpPublish()
    {
        var release = new TaskCompletionSource();
        var fast = new List<BusEvent>();
        using var slow = _bus.Subscribe(Topics.User("u1"), _ => release.Task);
        using var quick = _bus.Subscribe(Topics.User("u1"), Record(fast));

        _bus.Publish(Topics.User("u1"), new DarkModeChanged("u1", true));

        Assert.Single(fast);
        release.SetResult();
        await release.Task;
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
