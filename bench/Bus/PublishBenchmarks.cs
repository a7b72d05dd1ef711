using BenchmarkDotNet.Attributes;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckChat.Bench.Bus;

/// <summary>How a subscriber's handler returns: finished, or still running, as a circuit's does (it queues the event on its renderer).</summary>
public enum HandlerKind { Completed, Pending }

/// <summary>One publish to a topic with N subscribers: time per publish (÷ N per subscriber) and bytes allocated per publish.</summary>
[MemoryDiagnoser(displayGenColumns: false)]
public class PublishBenchmarks
{
    private const string Topic = "chat:1";
    private static readonly BusEvent Event = new ChatChanged(1);
    private readonly InProcessMessageBus _bus = new(NullLogger<InProcessMessageBus>.Instance);
    private readonly List<IDisposable> _subscriptions = [];

    [Params(1, 10, 100, 1000)]
    public int Subscribers { get; set; }

    [ParamsAllValues]
    public HandlerKind Handler { get; set; }

    [GlobalSetup]
    public void Subscribe()
    {
        Func<BusEvent, Task> handler = Handler == HandlerKind.Completed ? static _ => Task.CompletedTask : static _ => Running;
        for (var i = 0; i < Subscribers; i++)
        {
            _subscriptions.Add(_bus.Subscribe(Topic, handler));
        }
    }

    [Benchmark]
    public void Publish() => _bus.Publish(Topic, Event);

    [GlobalCleanup]
    public void Unsubscribe()
    {
        _subscriptions.ForEach(s => s.Dispose());
        _subscriptions.Clear();
    }

    /// <summary>
    /// A task that never finishes, shared by every handler: what the bus does with a handler still running is
    /// measured, not what a handler allocates for itself (a circuit's queued render is its own cost).
    /// </summary>
    private static readonly Task Running = new TaskCompletionSource().Task;
}
