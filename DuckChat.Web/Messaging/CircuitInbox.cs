using DuckChat.Web.Diagnostics;

namespace DuckChat.Web.Messaging;

/// <summary>
/// A component's bus events on their way into its circuit. The bus only queues an event here and goes on; one pass
/// on the circuit's dispatcher then applies everything waiting, in order, so a circuit that fell behind renders once
/// for all it missed instead of once per event.
/// </summary>
public sealed class CircuitInbox(DuckChatMetrics metrics, Func<Func<Task>, Task> onCircuit, Func<BusEvent, Task> apply, Func<Exception, Task> onError)
{
    private readonly Queue<BusEvent> _waiting = new();
    private bool _draining; // under _waiting

    /// <summary>The handler to subscribe with.</summary>
    public Task DeliverAsync(BusEvent busEvent)
    {
        lock (_waiting)
        {
            _waiting.Enqueue(busEvent);
            if (_draining)
            {
                return Task.CompletedTask;
            }

            _draining = true;
        }

        // Not awaited: while the dispatcher is busy the bus goes on queueing here, and the pass takes it all.
        _ = DrainAsync();
        return Task.CompletedTask;
    }

    private async Task DrainAsync()
    {
        try
        {
            await onCircuit(async () =>
            {
                while (Next() is { } busEvent)
                {
                    await apply(busEvent);
                    metrics.Deliveries.Add(1);
                }
            });
        }
        catch (Exception e)
        {
            lock (_waiting)
            {
                _waiting.Clear();
                _draining = false;
            }

            await onError(e);
        }
    }

    private BusEvent? Next()
    {
        lock (_waiting)
        {
            if (_waiting.TryDequeue(out var next))
            {
                return next;
            }

            _draining = false;
            return null;
        }
    }
}
