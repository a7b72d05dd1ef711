namespace DuckChat.Web.Components;

/// <summary>
/// Renders a component that follows a stream of events at most once per interval: the first change at once, the
/// changes that come within the interval together at its end. For views that nobody reads event by event, such as a
/// chat list whose previews change with every message in every chat of the person: in a busy team each message would
/// otherwise render the list again in every tab of every member. While <c>hold</c> says so (a hidden tab), changes
/// wait until it stops holding (<see cref="Resume"/>).
/// </summary>
/// <remarks>Used on the circuit's dispatcher only: <see cref="Request"/> from there, and the waits come back through <c>onCircuit</c>.</remarks>
public sealed class RenderPace(
    TimeProvider time, TimeSpan interval, Func<bool> hold, Action render, Func<Func<Task>, Task> onCircuit, Func<Exception, Task> fail) : IDisposable
{
    private bool _waiting;
    private bool _due;
    private bool _disposed;

    /// <summary>Something shown changed: renders now, or at the end of the interval when one is running, or once the view stops holding.</summary>
    public void Request()
    {
        _due = true;
        Pace();
    }

    /// <summary>The view may have stopped holding (a tab shown again): what waited renders now.</summary>
    public void Resume()
    {
        if (_due)
        {
            Pace();
        }
    }

    private void Pace()
    {
        if (_waiting || hold())
        {
            return;
        }

        _due = false;
        render();
        _waiting = true;
        // Not awaited: the event that asked goes on; the interval ends on the circuit's dispatcher.
        _ = WaitAsync();
    }

    private async Task WaitAsync()
    {
        try
        {
            var again = true;
            while (again)
            {
                await Task.Delay(interval, time);
                await onCircuit(() =>
                {
                    if (_disposed || !_due || hold())
                    {
                        // Nothing waits, or the view holds it until Resume.
                        again = _waiting = false;
                    }
                    else
                    {
                        _due = false;
                        render();
                    }

                    return Task.CompletedTask;
                });
            }
        }
        catch (ObjectDisposedException)
        {
            // The tab closed meanwhile.
        }
        catch (Exception e) when (!_disposed)
        {
            await fail(e);
        }
    }

    public void Dispose() => _disposed = true;
}
