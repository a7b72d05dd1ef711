using DuckChat.Web.Data;

namespace DuckChat.Web.Chats.Mentions;

/// <summary>
/// Someone a message mentions, as its page shows it: a person by id with their name now (the text's <c>@name</c> is
/// highlighted while it names that person), or the group at large (<c>@here</c>, <c>@all</c>; no id).
/// </summary>
public sealed record Mention(string? UserId, string Name, MentionKind Kind)
{
    public const string Here = "here";
    public const string All = "all";

    /// <summary>The broadcast a word stands for in a group, or null when it is a person's name.</summary>
    public static MentionKind? BroadcastOf(string name) =>
        string.Equals(name, Here, StringComparison.OrdinalIgnoreCase) ? MentionKind.Here
        : string.Equals(name, All, StringComparison.OrdinalIgnoreCase) ? MentionKind.All
        : null;

    /// <summary>Whether <paramref name="name"/> (as written after the @) is this mention.</summary>
    public bool IsNamed(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
