using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DuckChat.Web.Messaging;

/// <summary>
/// An event on the Redis channel: which instance sent it (so it can ignore its own echo), the topic (none for a
/// <see cref="DeliveryResumed"/>, which is for every topic), and the event, as JSON.
/// </summary>
public sealed record RedisEnvelope(Guid Origin, string? Topic, BusEvent Event)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DescribeEventTypes } },
    };

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
