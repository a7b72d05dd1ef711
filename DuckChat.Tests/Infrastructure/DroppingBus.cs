using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// The real in-process bus with a fault we control: it can lose the next event on a topic, as a transport
/// might. Proves that circuits fetch the gap from the database instead of trusting the bus. It also counts the
/// subscriptions still open, so tests can tell that a circuit left none behind.
/// </summary>
public sealed class DroppingBus(DuckChat.Web.Diagnostics.DuckChatMetrics metrics, ILogger<InProcessMessageBus> logger) : IMessageBus
{
    private readonly InProcessMessageBus _inner = new(metrics, logger);
    private readonly HashSet<string> _dropNext = [];
    private int _dropped;
    private int _subscriptions;

    public int Dropped => Volatile.Read(ref _dropped);

    public int Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>
    /// Loses the next event on <paramref name="topic"/> that a page must not miss: typing signals, which are never
    /// stored and come and go while someone types, pass (a person sending a message types it first).
    /// </summary>
    public void DropNext(string topic)
    {
        lock (_dropNext)
        {
            _dropNext.Add(topic);
        }
    }

    public void Publish(string topic, BusEvent busEvent)
    {
        lock (_dropNext)
        {
            if (busEvent is not TypingStarted && _dropNext.Remove(topic))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
        }

        _inner.Publish(topic, busEvent);
    }

    public IDisposable Subscribe(string topic, Func<BusEvent, Task> handler)
    {
        Interlocked.Increment(ref _subscriptions);
        return new Counted(this, _inner.Subscribe(topic, handler));
    }

    private sealed class Counted(DroppingBus bus, IDisposable inner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref bus._subscriptions);
                inner.Dispose();
            }
        }
    }
}

public class DroppingBusAppFactory : DuckChatAppFactory
{
    public DroppingBusAppFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected DroppingBusAppFactory(IDictionary<string, string?> settings) : base(settings)
    {
    }

    public DroppingBus Bus => (DroppingBus)Services.GetRequiredService<IMessageBus>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IMessageBus, DroppingBus>());
    }
}
