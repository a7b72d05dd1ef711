using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DuckChat.Web.Diagnostics;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckChat.Bench.Bus;

/// <summary>How a subscriber's handler returns: finished at once, or after yielding (as one that awaits its circuit).</summary>
public enum HandlerKind { Completed, Yielding }

/// <summary>
/// One publish to a topic with N subscribers, and its delivery: each subscription hands its event over on the thread
/// pool, so the case ends when every handler has run. Time per publish (÷ N per subscriber) and bytes allocated per
/// publish (all threads; the publishing path itself allocates nothing per subscriber).
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
public class PublishBenchmarks
{
    private const string Topic = "chat:1";
    private static readonly BusEvent Event = new ChatChanged(1);
    private readonly InProcessMessageBus _bus = new(
        new DuckChatMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        NullLogger<InProcessMessageBus>.Instance);
    private readonly List<IDisposable> _subscriptions = [];

    [Params(1, 10, 100, 1000)]
    public int Subscribers { get; set; }

    [ParamsAllValues]
    public HandlerKind Handler { get; set; }

    [GlobalSetup]
    public void Subscribe()
    {
        Func<BusEvent, Task> handler = Handler == HandlerKind.Completed ? static _ => Task.CompletedTask : static async _ => await Task.Yield();
        for (var i = 0; i < Subscribers; i++)
        {
            _subscriptions.Add(_bus.Subscribe(Topic, handler));
        }
    }

    [Benchmark]
    public void PublishAndDeliver()
    {
        _bus.Publish(Topic, Event);
        var spin = new SpinWait();
        while (_bus.Delivering)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    [GlobalCleanup]
    public void Unsubscribe()
    {
        _subscriptions.ForEach(s => s.Dispose());
        _subscriptions.Clear();
    }

}
