using System.Diagnostics;
using DuckChat.Web.Chats;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// One send as it is measured: its span (<see cref="DuckChatTelemetry.SendSpan"/>, the parent of what the send does
/// on the way, which the writer's commit and the later publish link to) and its time from reaching the server. Sends
/// arrive by JS interop, which Blazor's own spans do not cover, so this span is a trace's root.
/// </summary>
public sealed class SendTelemetry : IDisposable
{
    private readonly Activity? _activity = DuckChatTelemetry.Source.StartActivity(DuckChatTelemetry.SendSpan, ActivityKind.Server);
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>What became of the send: a saved one counts its time, a refused one its reason.</summary>
    public void Finished(SendOutcome outcome)
    {
        if (outcome == SendOutcome.Sent)
        {
            DuckChatTelemetry.SendDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
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
        DuckChatTelemetry.SendFailures.Add(1, new KeyValuePair<string, object?>(DuckChatTelemetry.SendFailureTag, reason));
        _activity?.SetStatus(ActivityStatusCode.Error, reason);
        _activity?.SetTag(DuckChatTelemetry.SendFailureTag, reason);
    }

    public void Dispose() => _activity?.Dispose();
}
