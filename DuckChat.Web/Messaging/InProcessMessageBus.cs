using DuckChat.Web.Diagnostics;

namespace DuckChat.Web.Messaging;

/// <summary>
/// The in-process bus: a topic maps to an immutable array of subscriptions, replaced (never changed) under
/// the lock, so a publish takes one lock for the lookup and hands the event over outside it. Each subscription
/// delivers on the thread pool, in order, one event after another: the publisher (a person's send) never runs
/// anyone's handler, let alone renders their page, and a slow circuit holds up only itself.
/// </summary>
public sealed class InProcessMessageBus(DuckChatMetrics metrics, ILogger<InProcessMessageBus> logger) : IMessageBus
{
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription[]> _topics = new(StringComparer.Ordinal);
    private int _delivering;

    /// <summary>Whether some subscriber still has events waiting or its handler running.</summary>
    public bool Delivering => Volatile.Read(ref _delivering) > 0;

    /// <summary>
    /// Completes once everything published so far has been handed to its subscribers' handlers and they have
    /// returned (whatever they started on a circuit may still be running).
    /// </summary>
    public async Task DeliveredAsync(CancellationToken cancellationToken = default)
    {
        while (Delivering)
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    public void Publish(string topic, BusEvent busEvent)
    {
        metrics.BusPublishes.Add(1);
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

    /// <summary>
    /// One subscriber: the events for it wait in its own queue, and one thread-pool work item at a time hands them to
    /// the handler in order. Handing over allocates nothing per subscriber (the queue's array is reused, the
    /// subscription is the work item).
    /// </summary>
    private sealed class Subscription(InProcessMessageBus bus, string topic, Func<BusEvent, Task> handler) : IDisposable, IThreadPoolWorkItem
    {
        private readonly Queue<BusEvent> _waiting = new();
        private bool _scheduled; // under _waiting
        private int _disposed;

        public string Topic => topic;

        public void Deliver(BusEvent busEvent)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            lock (_waiting)
            {
                _waiting.Enqueue(busEvent);
                if (_scheduled)
                {
                    return;
                }

                _scheduled = true;
            }

            Interlocked.Increment(ref bus._delivering);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        void IThreadPoolWorkItem.Execute() => _ = DeliverWaitingAsync();

        private async Task DeliverWaitingAsync()
        {
            while (Next() is { } busEvent)
            {
                try
                {
                    // The next event waits for this one: a subscriber sees its events in order.
                    await handler(busEvent);
                }
                catch (Exception e)
                {
                    LogFailure(e);
                }
            }
        }

        private BusEvent? Next()
        {
            lock (_waiting)
            {
                if (Volatile.Read(ref _disposed) == 0 && _waiting.TryDequeue(out var next))
                {
                    return next;
                }

                _waiting.Clear();
                _scheduled = false;
            }

            Interlocked.Decrement(ref bus._delivering);
            return null;
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
