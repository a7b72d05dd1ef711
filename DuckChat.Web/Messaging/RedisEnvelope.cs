using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DuckChat.Web.Messaging;

/// <summary>
/// A message on the Redis channel: which instance sent it (so it can ignore its own echo), the topic and the event,
/// as JSON. An envelope without a topic is an announcement: it carries a <see cref="DeliveryResumed"/> and says
/// which instances must catch up from the database (<see cref="Announcement"/>).
/// </summary>
public sealed record RedisEnvelope(
    Guid Origin,
    string? Topic,
    BusEvent Event,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Announcement? Announcement = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DescribeEventTypes } },
    };

    /// <summary>An announcement from <paramref name="origin"/>.</summary>
    public static RedisEnvelope Announce(Guid origin, Announcement announcement) => new(origin, null, new DeliveryResumed(), announcement);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads an envelope; throws <see cref="JsonException"/> for bytes this version does not understand.</summary>
    public static RedisEnvelope? FromBytes(byte[] bytes) => JsonSerializer.Deserialize<RedisEnvelope>(bytes, Json);

    /// <summary>Every concrete event type travels with its type name, found by reflection so a new event cannot be forgotten.</summary>
    private static void DescribeEventTypes(JsonTypeInfo type)
    {
        if (type.Type != typeof(BusEvent))
        {
            return;
        }

        type.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
        foreach (var eventType in typeof(BusEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BusEvent)) && !t.IsAbstract))
        {
            type.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(eventType, eventType.Name));
        }
    }
}

/// <summary>
/// What an announcement says about the instance that sent it, and so who catches up: each kind of trouble makes each
/// open page re-read once, on the instances that may have lost something, and nowhere else.
/// </summary>
public enum Announcement
{
    /// <summary>
    /// The origin gave up publishing events (Redis did not take them in time): every other instance catches up. An
    /// announcement that names no kind (from a version before kinds) is read as this one, which is what it asked for.
    /// </summary>
    Dropped,

    /// <summary>
    /// The origin's subscription was down, so it may have missed events: it catches up itself when it hears this back
    /// (proof that it receives again). The others have lost nothing and ignore it.
    /// </summary>
    Missed,
}
