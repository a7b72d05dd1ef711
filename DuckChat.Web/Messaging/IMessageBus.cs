namespace DuckChat.Web.Messaging;

public interface IMessageBus
{
    /// <summary>
    /// Hands the event to every current subscriber of the topic, each of which gets its events in order on the thread
    /// pool: this returns at once, and never runs a handler itself. A failing handler is logged and does not affect
    /// the others.
    /// </summary>
    void Publish(string topic, BusEvent busEvent);

    /// <summary>
    /// Subscribes to a topic until the returned handle is disposed (disposing twice is harmless; events still waiting
    /// for the handler are dropped). The handler gets the next event only once its task for the last one completed;
    /// a handler that fails is logged by the bus.
    /// </summary>
    IDisposable Subscribe(string topic, Func<BusEvent, Task> handler);
}
