namespace DuckChat.Web.Messaging;

/// <summary>
/// Something that happened, addressed to one topic. The bus is a doorbell: an event says what changed so
/// circuits can update at once, but the database stays the truth that a circuit falls back on.
/// </summary>
public abstract record BusEvent
{
    public abstract string Topic { get; }
}

public static class Topics
{
    public static string Chat(int chatId) => $"chat:{chatId}";

    public static string User(string userId) => $"user:{userId}";
}

/// <summary>A user's dark/light preference changed (every open tab of theirs follows).</summary>
public sealed record DarkModeChanged(string UserId, bool DarkMode) : BusEvent
{
    public override string Topic => Topics.User(UserId);
}
