using DuckChat.Web.Data;
using DuckChat.Web.Messaging;

namespace DuckChat.Web.Chats.Reading;

/// <summary>
/// One circuit's unread counts (badges and the tab title), kept from absolute values: each event carries a chat's Seq
/// or a read position, never a +1, so a missed or repeated event cannot make a count drift. Likewise a chat's "@"
/// badge is whether the newest message that mentions me is above my read position. Muted chats keep their counts but
/// leave the title's total. The chat this circuit's
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
                total += chatId == _reading || state.Mute != MuteLevel.None ? 0 : state.Unread;
            }

            return total;
        }
    }

    public long For(int chatId) => chatId != _reading && _chats.TryGetValue(chatId, out var state) ? state.Unread : 0;

    /// <summary>Whether a message that mentions me is unread in the chat (never in the one being read).</summary>
    public bool MentionFor(int chatId) => chatId != _reading && _chats.TryGetValue(chatId, out var state) && state.MentionUnread;

    public MuteLevel MuteOf(int chatId) => _chats.GetValueOrDefault(chatId).Mute;

    /// <summary>
    /// Whether the event leaves a mention badge that only the server can settle: the message that was my newest
    /// mention no longer mentions me (deleted, or edited), and an older one may still be unread.
    /// </summary>
    public bool LosesNewestMention(BusEvent busEvent) =>
        busEvent is MessageChanged { MentionsYou: false, Message: var message }
        && _chats.TryGetValue(message.ChatId, out var state) && state.LastMentionSeq == message.Seq && state.MentionUnread;

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
            case MessagePosted { Message: var message } posted:
                var state = _chats.GetValueOrDefault(message.ChatId);
                // My own messages are read by definition (the server moved my position with them).
                var lastRead = message.SenderId == me ? Math.Max(state.LastReadSeq, message.Seq) : state.LastReadSeq;
                var lastMention = posted.MentionsYou ? Math.Max(state.LastMentionSeq, message.Seq) : state.LastMentionSeq;
                return Update(message.ChatId, state with { LastSeq = Math.Max(state.LastSeq, message.Seq), LastReadSeq = lastRead, LastMentionSeq = lastMention });
            case MessageChanged { MentionsYou: true, Message: var changed } when _chats.TryGetValue(changed.ChatId, out var mentioning):
                return Update(changed.ChatId, mentioning with { LastMentionSeq = Math.Max(mentioning.LastMentionSeq, changed.Seq) });
            case ChatMuted muted when _chats.TryGetValue(muted.ChatId, out var before):
                return Update(muted.ChatId, before with { Mute = muted.Mute });
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
        var before = _chats.GetValueOrDefault(chatId);
        _chats[chatId] = state;
        return chatId != _reading && (state.Unread != before.Unread || state.MentionUnread != before.MentionUnread || state.Mute != before.Mute);
    }
}
