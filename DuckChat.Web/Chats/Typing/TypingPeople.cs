namespace DuckChat.Web.Chats.Typing;

/// <summary>
/// Who is typing in a chat, as one page shows it: each person until <paramref name="shownFor"/> after their last
/// signal, or until their message arrives. Used on the circuit's dispatcher only.
/// </summary>
public sealed class TypingPeople(TimeSpan shownFor)
{
    private readonly List<(string UserId, string UserName, DateTimeOffset Until)> _typing = [];

    public int Count => _typing.Count;

    /// <summary>When the next person stops showing, if anyone shows.</summary>
    public DateTimeOffset? NextEnd => _typing.Count == 0 ? null : _typing.Min(t => t.Until);

    /// <summary>Who shows now.</summary>
    public string[] Ids => [.. _typing.Select(t => t.UserId)];

    /// <summary>A signal from <paramref name="userId"/>; true when the line changes (not when it only lasts longer).</summary>
    public bool Started(string userId, string userName, DateTimeOffset now)
    {
        var at = _typing.FindIndex(t => t.UserId == userId);
        if (at >= 0)
        {
            _typing[at] = (userId, userName, now + shownFor);
            return false;
        }

        _typing.Add((userId, userName, now + shownFor));
        return true;
    }

    /// <summary>Their message arrived; true when they showed.</summary>
    public bool Stopped(string userId) => _typing.RemoveAll(t => t.UserId == userId) > 0;

    /// <summary>Drops whoever's time is up; true when someone went.</summary>
    public bool Expire(DateTimeOffset now) => _typing.RemoveAll(t => t.Until <= now) > 0;

    /// <summary>"alice is typing…", "alice and bob are typing…", "alice and 2 others are typing…"; empty for nobody.</summary>
    public string Text => _typing.Count switch
    {
        0 => "",
        1 => $"{_typing[0].UserName} is typing…",
        2 => $"{_typing[0].UserName} and {_typing[1].UserName} are typing…",
        var n => $"{_typing[0].UserName} and {n - 1} others are typing…",
    };
}
