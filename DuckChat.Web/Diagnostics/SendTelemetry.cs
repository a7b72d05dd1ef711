using System.Diagnostics;
using DuckChat.Web.Chats;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// One send as it is measured: its span (<see cref="DuckChatTelemetry.SendSpan"/>, the parent of what the send does
/// on the way, which the writer's commit and the later publish link to) and its time from reaching the server. Sends
/// arrive by JS interop, which Blazor's own spans do not cover, so this span starts a trace of its own.
/// </summary>
public sealed class SendTelemetry(DuckChatMetrics metrics) : IDisposable
{
    private readonly Activity? _activity = Start();
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>
    /// A root span, linked to the span current when the send arrived (the circuit's connection, which lasts as long as
    /// the tab): as its child, every send of a tab would fall into one trace hours long.
    /// </summary>
    private static Activity? Start()
    {
        if (!DuckChatTelemetry.Source.HasListeners())
        {
            return null;
        }

        var arrivedUnder = Activity.Current?.Context;
        Activity.Current = null;
        return DuckChatTelemetry.Source.StartActivity(DuckChatTelemetry.SendSpan, ActivityKind.Server, default(ActivityContext),
            links: arrivedUnder is { } context ? [new ActivityLink(context)] : null);
    }

    /// <summary>What became of the send: a saved one counts its time, a refused one its reason.</summary>
    public void Finished(SendOutcome outcome)
    {
        if (outcome == SendOutcome.Sent)
        {
            metrics.SendDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
            return;
        }

        Failed(outcome switch
        {
            SendOutcome.RateLimited => DuckChatTelemetry.RateLimited,
            SendOutcome.NotFound or SendOutcome.Failed => DuckChatTelemetry.NotAllowed,
            _ => DuckChatTelemetry.Invalid,
        });
    }

    /// <summary>The send threw: signed out (not allowed), or saving failed (the database).</summary>
    public void Threw(Exception e)
    {
        Failed(e is Accounts.SignedOutException ? DuckChatTelemetry.NotAllowed : DuckChatTelemetry.DatabaseFailed);
        _activity?.SetTag("error.type", e.GetType().FullName); // the type only: a message may quote what was sent
    }

    private void Failed(string reason)
    {
        metrics.SendFailures.Add(1, new KeyValuePair<string, object?>(DuckChatTelemetry.SendFailureTag, reason));
        _activity?.SetStatus(ActivityStatusCode.Error, reason);
        _activity?.SetTag(DuckChatTelemetry.SendFailureTag, reason);
    }

    public void Dispose() => _activity?.Dispose();
}
