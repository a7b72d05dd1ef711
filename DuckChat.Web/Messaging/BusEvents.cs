namespace DuckChat.Web.Messaging;

/// <summary>
/// Something that happened. The bus is a doorbell: an event says what changed so circuits can update at
/// once, but the database stays the truth that a circuit falls back on.
/// </summary>
public abstract record BusEvent;

/// <summary>Topic names: one per chat (its open pages) and one per user (their chat list, badges, preferences).</summary>
public static class Topics
{
    public static string Chat(int chatId) => $"chat:{chatId}";

    public static string User(string userId) => $"user:{userId}";
}

/// <summary>A user's dark/light preference changed (every open tab of theirs follows).</summary>
public sealed record DarkModeChanged(string UserId, bool DarkMode) : BusEvent;

/// <summary>What notifies a user changed (every open tab of theirs follows).</summary>
public sealed record NotifyLevelChanged(string UserId, Accounts.NotifyLevel Level) : BusEvent;

/// <summary>
/// Open tabs of the account stop at once: all of them (an admin locked or deleted it, or its owner logged out
/// everywhere or changed the password), or only those of one sign-in (that browser logged out). The user's topic.
/// </summary>
public sealed record AccountSignedOut(string UserId, string? SignInId = null) : BusEvent;

/// <summary>
/// Events from other instances may have been missed (Redis was unreachable, now it is back): every subscriber of
/// every topic gets this and re-reads what it shows from the database. Never published to one topic.
/// </summary>
public sealed record DeliveryResumed : BusEvent;
