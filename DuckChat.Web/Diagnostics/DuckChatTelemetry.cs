using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// DuckChat's own meter and activity source, and every instrument on them, so each name is written once. Tags are
/// small fixed sets (a kind, a reason, a queue): never a chat, a person or anything they wrote.
/// </summary>
public static class DuckChatTelemetry
{
    public const string Name = "DuckChat";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Span names: one send, the writer's commit of a group of work, and an event leaving for other instances.</summary>
    public const string SendSpan = "duckchat.send";
    public const string CommitSpan = "duckchat.db.commit";
    public const string PublishSpan = "duckchat.bus.publish";

    public const string MessageKindTag = "duckchat.message.kind";
    public const string SendFailureTag = "duckchat.send.failure";
    public const string QueueTag = "duckchat.queue";

    /// <summary>Instruments observed through the app's services (<see cref="DuckChatGauges"/>), created on a meter of this name.</summary>
    public const string QueueDepth = "duckchat.queue.depth";
    public const string RedisConnected = "duckchat.redis.connected";

    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>(
        "duckchat.messages.sent", "{message}", "Messages saved: people's (text) and the chat's own lines (system).");

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "duckchat.deliveries", "{event}", "Bus events applied on a circuit (a page or a tab's badges).");

    public static readonly Histogram<double> SendDuration = Meter.CreateHistogram<double>(
        "duckchat.send.duration", "s", "From a send reaching the server to its message being committed, for saved sends.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> SendFailures = Meter.CreateCounter<long>(
        "duckchat.send.failures", "{send}", "Sends that saved nothing, by reason.");

    public static readonly UpDownCounter<long> ChatPagesOpen = Meter.CreateUpDownCounter<long>(
        "duckchat.chat_pages.open", "{page}", "Chat pages open on interactive circuits.");

    public static readonly Counter<long> BusPublishes = Meter.CreateCounter<long>(
        "duckchat.bus.publishes", "{event}", "Events handed to the message bus.");

    public static readonly Counter<long> BusPublishFailures = Meter.CreateCounter<long>(
        "duckchat.bus.publish_failures", "{event}", "Publishes to Redis it did not take (each is tried again, or given up after the resend window).");

    public static readonly Counter<long> CatchUps = Meter.CreateCounter<long>(
        "duckchat.catchups", "{catchup}", "Re-reads from the database by an open chat page (after a gap, a reconnect, a hidden tab shown again).");

    public static readonly Histogram<double> DbWriteDuration = Meter.CreateHistogram<double>(
        "duckchat.db.write.duration", "s", "One transaction of the writer (a group commit of sends, read positions and changes).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> DbWriteRetries = Meter.CreateCounter<long>(
        "duckchat.db.write.retries", "{retry}", "Writer transactions run again after a failure (the database busy or locked, or one bad item in a group).");

    public static readonly Counter<long> ReadPositionRounds = Meter.CreateCounter<long>(
        "duckchat.read_positions.rounds", "{round}", "Rounds in which the writer saved the read positions waiting.");

    /// <summary>Why a send saved nothing, as <see cref="SendFailureTag"/> values.</summary>
    public const string RateLimited = "rate_limited", NotAllowed = "not_allowed", Invalid = "invalid", DatabaseFailed = "database";

    /// <summary>Kinds of message, as tag values.</summary>
    public static readonly KeyValuePair<string, object?> TextMessage = new(MessageKindTag, "text");
    public static readonly KeyValuePair<string, object?> SystemMessage = new(MessageKindTag, "system");

    /// <summary>
    /// The send being handled now (also from inside its publish), for work queued for later to link to; default outside
    /// a send.
    /// </summary>
    public static ActivityContext CurrentSend()
    {
        for (var span = Activity.Current; span is not null; span = span.Parent)
        {
            if (span.Source == Source && span.OperationName == SendSpan)
            {
                return span.Context;
            }
        }

        return default;
    }

    /// <summary>
    /// Reports every counter at 0, for each of its tag values, so a scraper has each series from the start: a rate over
    /// a series that appears only with its first failure shows no data until then.
    /// </summary>
    public static void ReportZeros()
    {
        foreach (var counter in new[] { Deliveries, BusPublishes, BusPublishFailures, CatchUps, DbWriteRetries, ReadPositionRounds })
        {
            counter.Add(0);
        }

        MessagesSent.Add(0, TextMessage);
        MessagesSent.Add(0, SystemMessage);
        ChatPagesOpen.Add(0);
        foreach (var reason in new[] { RateLimited, NotAllowed, Invalid, DatabaseFailed })
        {
            SendFailures.Add(0, new KeyValuePair<string, object?>(SendFailureTag, reason));
        }
    }

    /// <summary>
    /// Latency buckets from 1 ms to 10 s: the exporters' default boundaries start at 5 ms and step to 25 ms, too coarse
    /// for a send that takes about a millisecond.
    /// </summary>
    private static IReadOnlyList<double> LatencyBuckets =>
        [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];
}
