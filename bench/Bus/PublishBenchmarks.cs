using BenchmarkDotNet.Attributes;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckChat.Bench.Bus;

/// <summary>How a subscriber's handler finishes: at once (the bus's own cost), or later, as a circuit's does.</summary>
public enum HandlerKind { Completed, Async }

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
        Func<BusEvent, Task> handler = Handler == HandlerKind.Completed ? static _ => Task.CompletedTask : YieldAsync;
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

    /// <summary>Like a circuit's handler, which hands the event to the renderer's dispatcher and returns before it runs.</summary>
    private static async Task YieldAsync(BusEvent busEvent) => await Task.Yield();
}
