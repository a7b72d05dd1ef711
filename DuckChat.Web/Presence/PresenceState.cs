namespace DuckChat.Web.Presence;

/// <summary>How a person shows to the people who share a chat with them.</summary>
public enum PresenceState
{
    /// <summary>No tab open, appearing offline, or not to be shown to this reader.</summary>
    Offline,

    /// <summary>Tabs open, but none looked at lately (hidden or idle).</summary>
    Away,

    /// <summary>A tab of theirs is looked at, or was within <see cref="Configuration.PresenceOptions.AwayAfter"/>.</summary>
    Online,
}

/// <summary>
/// What one instance says of a person with tabs on it. Ordered so that the highest of all instances' says wins: a
/// person who appears offline does so everywhere, else one online tab anywhere makes them online.
/// </summary>
public enum InstancePresence
{
    Away = 1,
    Online = 2,

    /// <summary>Tabs open, appearing offline: shown as offline, though <see cref="PresenceTracker.HasOpenTab"/>.</summary>
    Invisible = 3,
}

/// <summary>One person's presence on one instance; null when they have no tab there.</summary>
public sealed record PresenceEntry(string UserId, InstancePresence? State);

/// <summary>A change of this instance's presence, numbered in order, for the other instances (through Redis).</summary>
public sealed record LocalPresenceChange(string UserId, InstancePresence? State, long Version);
