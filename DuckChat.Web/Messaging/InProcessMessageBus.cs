namespace DuckChat.Web.Messaging;

/// <summary>
/// The in-process bus: a topic maps to an immutable array of subscriptions, replaced (never changed) under
/// the lock, so a publish takes one lock for the lookup and calls handlers outside it.
/// </summary>
public sealed class InProcessMessageBus(ILogger<InProcessMessageBus> logger) : IMessageBus
{
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription[]> _topics = new(StringComparer.Ordinal);

    public void Publish(string topic, BusEvent busEvent)
    {
        Subscription[]? subscriptions;
        lock (_gate)
        {
            _topics.TryGetValue(topic, out subscriptions);
        }

        if (subscriptions is null)
        {
            return;
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Deliver(busEvent);
        }
    }

    /// <summary>Hands the event to every subscriber of every topic (how a <see cref="DeliveryResumed"/> reaches them all).</summary>
    public void PublishToEveryTopic(BusEvent busEvent)
    {
        Subscription[][] everyTopic;
        lock (_gate)
        {
            everyTopic = [.. _topics.Values];
        }

        foreach (var subscription in everyTopic.SelectMany(subscriptions => subscriptions))
        {
            subscription.Deliver(busEvent);
        }
    }

    public IDisposable Subscribe(string topic, Func<BusEvent, Task> handler)
    {
        var subscription = new Subscription(this, topic, handler);
        lock (_gate)
        {
            _topics[topic] = _topics.TryGetValue(topic, out var existing) ? [.. existing, subscription] : [subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(subscription.Topic, out var existing))
            {
                return;
            }

            var remaining = Array.FindAll(existing, s => !ReferenceEquals(s, subscription));
            if (remaining.Length == 0)
            {
                _topics.Remove(subscription.Topic);
            }
            else
            {
                _topics[subscription.Topic] = remaining;
            }
        }
    }

    private sealed class Subscription(InProcessMessageBus bus, string topic, Func<BusEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public string Topic => topic;

        public void Deliver(BusEvent busEvent)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                // A handler still running owns its failures (see IMessageBus.Subscribe): watching each one would
                // cost an allocation per subscriber per event.
                var task = handler(busEvent);
                if (task.IsFaulted)
                {
                    LogFailure(task.Exception);
                }
            }
            catch (Exception e)
            {
                LogFailure(e);
            }
        }

        private void LogFailure(Exception e) =>
            bus._logger.LogError(e, "A subscriber of {Topic} failed; the other subscribers were not affected", topic);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Remove(this);
            }
        }
    }
}
