using DuckChat.Web.Messaging;

namespace DuckChat.Web.Chats.Reading;

/// <summary>
/// One circuit's unread counts (badges and the tab title), kept from absolute values: each event carries a chat's Seq
/// or a read position, never a +1, so a missed or repeated event cannot make a count drift. The chat this circuit's
/// reader is reading counts nothing: its new messages are read as they arrive, and the saved position follows within
/// a second, so the title does not blink "(1)". Plain state: its owner (<see cref="UnreadState"/>) runs every change
/// on the circuit's dispatcher.
/// </summary>
public sealed class UnreadCounts(string me)
{
    private Dictionary<int, ReadState> _chats = [];
    private int? _reading;

    public long Total
    {
        get
        {
            // A plain loop: this runs for every tab of every member on every message.
            long total = 0;
            foreach (var (chatId, state) in _chats)
            {
                total += chatId == _reading ? 0 : state.Unread;
            }

            return total;
        }
    }

    public long For(int chatId) => chatId != _reading && _chats.TryGetValue(chatId, out var state) ? state.Unread : 0;

    public bool Knows(int chatId) => _chats.ContainsKey(chatId);

    /// <summary>What the server says, for every chat (replacing what was known) or for some.</summary>
    public void Load(Dictionary<int, ReadState> states, bool replace)
    {
        if (replace)
        {
            _chats = states;
            return;
        }

        foreach (var (chatId, state) in states)
        {
            _chats[chatId] = state;
        }
    }

    /// <summary>The reader is reading <paramref name="chatId"/> (null: none); whether the total changed.</summary>
    public bool Reading(int? chatId)
    {
        if (_reading == chatId)
        {
            return false;
        }

        var before = Total;
        _reading = chatId;
        return Total != before;
    }

    /// <summary>Applies an event; whether this circuit now shows a different count.</summary>
    public bool Apply(BusEvent busEvent)
    {
        switch (busEvent)
        {
            case MessagePosted { Message: var message }:
                var state = _chats.GetValueOrDefault(message.ChatId);
                // My own messages are read by definition (the server moved my position with them).
                var lastRead = message.SenderId == me ? Math.Max(state.LastReadSeq, message.Seq) : state.LastReadSeq;
                return Update(message.ChatId, new ReadState(Math.Max(state.LastSeq, message.Seq), lastRead));
            case ReadPositionChanged changed:
                return Update(changed.ChatId, _chats.GetValueOrDefault(changed.ChatId) with { LastReadSeq = changed.LastReadSeq });
            case MemberRemoved removed when removed.UserId == me:
                return _chats.Remove(removed.ChatId);
            case ChatDeleted deleted:
                return _chats.Remove(deleted.ChatId);
            default:
                return false;
        }
    }

    private bool Update(int chatId, ReadState state)
    {
        var before = _chats.GetValueOrDefault(chatId).Unread;
        _chats[chatId] = state;
        return chatId != _reading && state.Unread != before;
    }
}
