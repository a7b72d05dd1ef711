namespace DuckChat.Web.Chats.Typing;

/// <summary>
/// Who is typing in a chat, as one page shows it: each person until <paramref name="shownFor"/> after their last
/// signal, or until their message shows. Safe on any thread: signals come on the bus's thread and are decided there,
/// so only a change of the line costs the page a turn on its circuit. A hidden page shows nobody and takes no signal.
/// When someone's time is up, <paramref name="expired"/> is called on the timer's thread.
/// </summary>
public sealed class TypingPeople(TimeSpan shownFor, TimeProvider time, Action expired) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(string UserId, string UserName, DateTimeOffset Until)> _typing = []; // under _gate
    private ITimer? _expiry; // under _gate; due at (or before) the earliest Until while anyone shows
    private bool _visible = true; // under _gate
    private bool _disposed; // under _gate
    private volatile TypingLine _line = TypingLine.Nobody;

    /// <summary>What the page shows now; a new instance only when who shows changed.</summary>
    public TypingLine Line => _line;

    /// <summary>A signal from <paramref name="userId"/>; true when the line changes (not when it only lasts longer, nor on a hidden page).</summary>
    public bool Started(string userId, string userName)
    {
        lock (_gate)
        {
            if (!_visible || _disposed)
            {
                return false;
            }

            var until = time.GetUtcNow() + shownFor;
            var at = IndexOf(userId);
            if (at >= 0)
            {
                _typing[at] = (userId, userName, until);
                return false;
            }

            _typing.Add((userId, userName, until));
            if (_typing.Count == 1)
            {
                // Later signals only move ends later: the timer may come early, then it waits again.
                _expiry ??= time.CreateTimer(_ => Expire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _expiry.Change(shownFor, Timeout.InfiniteTimeSpan);
            }

            return Changed();
        }
    }

    /// <summary>Their message shows; true when they showed.</summary>
    public bool Stopped(string userId)
    {
        lock (_gate)
        {
            var at = IndexOf(userId);
            if (at < 0)
            {
                return false;
            }

            _typing.RemoveAt(at);
            return Changed();
        }
    }

    /// <summary>
    /// Whether the page is visible. A hidden page drops whoever shows (it renders nothing new) and ignores signals, so
    /// shown again it names nobody until the next signal, which comes every few seconds while someone types.
    /// </summary>
    public void SetVisible(bool visible)
    {
        lock (_gate)
        {
            _visible = visible;
            if (!visible && _typing.Count > 0)
            {
                _typing.Clear();
                Changed();
            }
        }
    }

    private void Expire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = time.GetUtcNow();
            var changed = _typing.RemoveAll(t => t.Until <= now) > 0 && Changed();
            if (_typing.Count > 0)
            {
                // Early when someone signalled again since: wait for the new earliest end (after now, so a test
                // clock never fires it inside this lock).
                _expiry!.Change(_typing.Min(t => t.Until) - now, Timeout.InfiniteTimeSpan);
            }

            if (!changed)
            {
                return;
            }
        }

        expired();
    }

    // A loop, not a predicate: this runs for every open page of the chat on every signal, and a closure would allocate.
    private int IndexOf(string userId)
    {
        for (var i = 0; i < _typing.Count; i++)
        {
            if (_typing[i].UserId == userId)
            {
                return i;
            }
        }

        return -1;
    }

    private bool Changed()
    {
        _line = _typing.Count switch
        {
            0 => TypingLine.Nobody,
            1 => new(1, $"{_typing[0].UserName} is typing…"),
            2 => new(2, $"{_typing[0].UserName} and {_typing[1].UserName} are typing…"),
            var n => new(n, $"{_typing[0].UserName} and {n - 1} others are typing…"),
        };
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _expiry?.Dispose();
        }
    }
}

/// <summary>How many people show as typing, and the line that names them: "alice is typing…", "alice and bob are typing…", "alice and 2 others are typing…".</summary>
public sealed record TypingLine(int Count, string Text)
{
    public static readonly TypingLine Nobody = new(0, "");
}
