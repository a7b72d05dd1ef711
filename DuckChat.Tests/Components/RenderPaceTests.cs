using DuckChat.Web.Components;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Components;

public sealed class RenderPaceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();
    private readonly List<Exception> _failures = [];
    private int _renders;
    private bool _hold;

    private RenderPace Pace() => new(_time, Interval, () => _hold, () => _renders++, work => work(), e =>
    {
        _failures.Add(e);
        return Task.CompletedTask;
    });

    [Fact]
    public void FirstChange_RendersAtOnce()
    {
        using var pace = Pace();

        pace.Request();

        Assert.Equal(1, _renders);
    }

    [Fact]
    public void ChangesWithinTheInterval_RenderOnceAtItsEnd()
    {
        using var pace = Pace();
        pace.Request();

        pace.Request();
        pace.Request();
        Assert.Equal(1, _renders);

        _time.Advance(Interval);
        Assert.Equal(2, _renders);

        // Nothing came during the second interval: no render at its end, and the next change shows at once.
        _time.Advance(Interval);
        Assert.Equal(2, _renders);
        pace.Request();
        Assert.Equal(3, _renders);
        Assert.Empty(_failures);
    }

    [Fact]
    public void HeldView_RendersNothingUntilResumed()
    {
        using var pace = Pace();
        _hold = true;

        pace.Request();
        _time.Advance(Interval * 3);
        Assert.Equal(0, _renders);

        _hold = false;
        pace.Resume();
        Assert.Equal(1, _renders);

        // Resuming with nothing waiting renders nothing.
        _time.Advance(Interval);
        pace.Resume();
        Assert.Equal(1, _renders);
    }

    [Fact]
    public void Disposed_RendersNothingMore()
    {
        var pace = Pace();
        pace.Request();
        pace.Request();

        pace.Dispose();
        _time.Advance(Interval);

        Assert.Equal(1, _renders);
    }
}
