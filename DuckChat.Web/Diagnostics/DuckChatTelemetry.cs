using System.Diagnostics;

namespace DuckChat.Web.Diagnostics;

/// <summary>
/// The names of DuckChat's meter, activity source, spans and tags, written once; the instruments themselves are
/// <see cref="DuckChatMetrics"/> and <see cref="DuckChatGauges"/>. Tags are small fixed sets (a kind, a reason, a
/// queue): never a chat, a person or anything they wrote.
/// </summary>
public static class DuckChatTelemetry
{
    public const string Name = "DuckChat";

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
}
