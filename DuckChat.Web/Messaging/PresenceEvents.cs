using DuckChat.Web.Presence;

namespace DuckChat.Web.Messaging;

/// <summary>Topics of presence: one per person (the tabs that show them), and one every instance's tracker follows.</summary>
public static class PresenceTopics
{
    public static string Person(string userId) => $"presence:{userId}";

    /// <summary>What instances tell each other about their people, and the appear-offline switch.</summary>
    public const string Cluster = "presence";
}

/// <summary>How a person shows changed. Published on this instance only, on <see cref="PresenceTopics.Person"/>.</summary>
public sealed record PresenceChanged(string UserId, PresenceState State) : BusEvent;

/// <summary>A person switched "appear offline" on or off: every instance with their tabs follows at once.</summary>
public sealed record AppearOfflineChanged(string UserId, bool AppearOffline) : BusEvent;

/// <summary>
/// An instance's people changed, from its version <paramref name="Previous"/> to <paramref name="Version"/>; an entry
/// without a state means the person has no tab there any longer. Instances that do not hold exactly
/// <paramref name="Previous"/> read the instance's whole state from Redis instead.
/// </summary>
public sealed record InstancePresenceChanged(Guid Instance, long Previous, long Version, IReadOnlyList<PresenceEntry> People) : BusEvent;

/// <summary>An instance's heartbeat: it is alive, and Redis holds its people at <paramref name="Version"/>.</summary>
public sealed record InstanceAlive(Guid Instance, long Version) : BusEvent;

/// <summary>An instance is stopping: its people are gone from it at once.</summary>
public sealed record InstanceStopped(Guid Instance) : BusEvent;

/// <summary>Someone is typing in a chat. The chat's topic; never stored.</summary>
public sealed record TypingStarted(int ChatId, string UserId, string UserName) : BusEvent;
