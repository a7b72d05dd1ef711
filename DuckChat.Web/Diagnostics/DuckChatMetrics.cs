using System.Diagnostics.Metrics;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// DuckChat's counters and histograms, counted by the code that does the work. They live on a meter from the host's
/// <see cref="IMeterFactory"/>, not a static one: a static meter is heard by every host in the process, so two apps
/// in one process (a test run) would count each other's sends, and pages closing in one would take the other's
/// open-page count below zero.
/// </summary>
public sealed class DuckChatMetrics
{
    public DuckChatMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(DuckChatTelemetry.Name);
        MessagesSent = meter.CreateCounter<long>(
            "duckchat.messages.sent", "{message}", "Messages saved: people's (text) and the chat's own lines (system).");
        Deliveries = meter.CreateCounter<long>(
            "duckchat.deliveries", "{event}", "Bus events applied on a circuit (a page or a tab's badges).");
        SendDuration = meter.CreateHistogram(
            "duckchat.send.duration", "s", "From a send reaching the server to its message being committed, for saved sends.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        SendFailures = meter.CreateCounter<long>(
            "duckchat.send.failures", "{send}", "Sends that saved nothing, by reason.");
        ChatPagesOpen = meter.CreateUpDownCounter<long>(
            "duckchat.chat_pages.open", "{page}", "Chat pages open on interactive circuits.");
        BusPublishes = meter.CreateCounter<long>(
            "duckchat.bus.publishes", "{event}", "Events handed to the message bus.");
        BusPublishFailures = meter.CreateCounter<long>(
            "duckchat.bus.publish_failures", "{event}", "Publishes to Redis it did not take (each is tried again, or given up after the resend window).");
        CatchUps = meter.CreateCounter<long>(
            "duckchat.catchups", "{catchup}", "Re-reads from the database by an open chat page (after a gap, a reconnect, a hidden tab shown again).");
        DbWriteDuration = meter.CreateHistogram(
            "duckchat.db.write.duration", "s", "One transaction of the writer (a group commit of sends, read positions and changes).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        DbWriteRetries = meter.CreateCounter<long>(
            "duckchat.db.write.retries", "{retry}", "Writer transactions run again after a failure (the database busy or locked, or one bad item in a group).");
        ReadPositionRounds = meter.CreateCounter<long>(
            "duckchat.read_positions.rounds", "{round}", "Rounds in which the writer saved the read positions waiting.");
    }

    public Counter<long> MessagesSent { get; }
    public Counter<long> Deliveries { get; }
    public Histogram<double> SendDuration { get; }
    public Counter<long> SendFailures { get; }
    public UpDownCounter<long> ChatPagesOpen { get; }
    public Counter<long> BusPublishes { get; }
    public Counter<long> BusPublishFailures { get; }
    public Counter<long> CatchUps { get; }
    public Histogram<double> DbWriteDuration { get; }
    public Counter<long> DbWriteRetries { get; }
    public Counter<long> ReadPositionRounds { get; }

    /// <summary>
    /// Reports every counter at 0, for each of its tag values, so a scraper has each series from the start: a rate over
    /// a series that appears only with its first failure shows no data until then.
    /// </summary>
    public void ReportZeros()
    {
        foreach (var counter in new[] { Deliveries, BusPublishes, BusPublishFailures, CatchUps, DbWriteRetries, ReadPositionRounds })
        {
            counter.Add(0);
        }

        MessagesSent.Add(0, DuckChatTelemetry.TextMessage);
        MessagesSent.Add(0, DuckChatTelemetry.SystemMessage);
        ChatPagesOpen.Add(0);
        foreach (var reason in new[] { DuckChatTelemetry.RateLimited, DuckChatTelemetry.NotAllowed, DuckChatTelemetry.Invalid, DuckChatTelemetry.DatabaseFailed })
        {
            SendFailures.Add(0, new KeyValuePair<string, object?>(DuckChatTelemetry.SendFailureTag, reason));
        }
    }

    /// <summary>
    /// Latency buckets from 1 ms to 10 s: the exporters' default boundaries start at 5 ms and step to 25 ms, too coarse
    /// for a send that takes about a millisecond.
    /// </summary>
    private static IReadOnlyList<double> LatencyBuckets =>
        [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];
}
