namespace DuckChat.Web.Messaging;

public interface IMessageBus
{
    /// <summary>
    /// Hands the event to every current subscriber of the topic. Returns once each handler has been started;
    /// it does not wait for slow circuits. A failing handler is logged and does not affect the others.
    /// </summary>
    void Publish(string topic, BusEvent busEvent);

    /// <summary>
    /// Subscribes to a topic until the returned handle is disposed (disposing twice is harmless). A handler that
    /// throws or fails at once is logged by the bus; one that fails later must log its own failure (the bus does
    /// not watch every running handler).
    /// </summary>
    IDisposable Subscribe(string topic, Func<BusEvent, Task> handler);
}
