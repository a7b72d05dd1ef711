using System.Diagnostics;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// One transaction of the writer as it is measured: a span (<see cref="DuckChatTelemetry.CommitSpan"/>) of its own,
/// linked to the span of each piece of work in it (a group commit serves many sends, so it is no one send's child),
/// its duration, and the runs of it the execution strategy repeats.
/// </summary>
public sealed class CommitTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly DuckChatMetrics _metrics;
    private int _attempts;

    /// <param name="origins">The span each piece of work was queued under (none for the writer's own bookkeeping).</param>
    public CommitTelemetry(DuckChatMetrics metrics, IEnumerable<ActivityContext> origins)
    {
        _metrics = metrics;
        // The loop may have been started under some request's span: a commit belongs to no request.
        Activity.Current = null;
        if (DuckChatTelemetry.Source.HasListeners())
        {
            var links = origins.Where(origin => origin != default).Select(origin => new ActivityLink(origin));
            _activity = DuckChatTelemetry.Source.StartActivity(DuckChatTelemetry.CommitSpan, ActivityKind.Internal, default(ActivityContext), links: links);
        }
    }

    /// <summary>The transaction starts (again, after the first time: a retry).</summary>
    public void Attempt()
    {
        if (++_attempts > 1)
        {
            _metrics.DbWriteRetries.Add(1);
        }
    }

    public void Committed() => _activity?.SetStatus(ActivityStatusCode.Ok);

    public void Dispose()
    {
        _metrics.DbWriteDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
        if (_activity is { Status: ActivityStatusCode.Unset })
        {
            _activity.SetStatus(ActivityStatusCode.Error);
        }

        _activity?.Dispose();
    }
}
