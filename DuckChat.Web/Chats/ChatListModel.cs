using DuckChat.Web.Messaging;

namespace DuckChat.Web.Chats;

/// <summary>
/// The chats a person's list shows, most recent activity first, kept in step with their topic: a chat with news moves
/// to the top; a renamed chat is renamed; a chat they left or that was deleted goes; after missed events it reloads.
/// Used on the circuit's dispatcher only.
/// </summary>
public sealed class ChatListModel(ChatService chats, Formatting.MessageFormatter formatter, string me, int pageSize)
{
    private List<ChatSummary>? _chats;

    /// <summary>Null until the first page has loaded.</summary>
    public IReadOnlyList<ChatSummary>? Chats => _chats;

    /// <summary>Whether the last page was full, so older chats may follow.</summary>
    public bool MayHaveMore { get; private set; }

    public async Task LoadNewestAsync()
    {
        var page = await chats.ListChatsAsync();
        _chats = page.ToList();
        MayHaveMore = page.Count == pageSize;
    }

    public async Task LoadMoreAsync()
    {
        var page = await chats.ListChatsAsync(_chats![^1].Cursor);
        _chats.AddRange(page.Where(c => _chats.All(shown => shown.Id != c.Id)));
        MayHaveMore = page.Count == pageSize;
    }

    /// <summary>Applies one of the person's events; true when the list changed.</summary>
    public async Task<bool> ApplyAsync(BusEvent busEvent)
    {
        if (_chats is null)
        {
            return false;
        }

        switch (busEvent)
        {
            case MessagePosted { Message: var message }:
                await ShowActivityAsync(message);
                return true;
            case MessageChanged { Message: var message } when _chats.FindIndex(c => c.Id == message.ChatId && c.LastSeq == message.Seq) is var at and >= 0:
                _chats[at] = _chats[at] with { Preview = ChatStore.Preview(message, formatter) };
                return true;
            case ChatChanged changed when _chats.FindIndex(c => c.Id == changed.ChatId) is var at and >= 0:
                if (await chats.GetChatSummaryAsync(changed.ChatId) is { } renamed)
                {
                    _chats[at] = renamed;
                }

                return true;
            case MemberRemoved removed when removed.UserId == me:
                return _chats.RemoveAll(c => c.Id == removed.ChatId) > 0;
            case ChatDeleted deleted:
                return _chats.RemoveAll(c => c.Id == deleted.ChatId) > 0;
            case DeliveryResumed:
                await LoadNewestAsync();
                return true;
            default:
                return false;
        }
    }

    private async Task ShowActivityAsync(MessageView message)
    {
        var shown = _chats!.FindIndex(c => c.Id == message.ChatId);
        if (shown >= 0 && _chats[shown].LastSeq >= message.Seq)
        {
            return;
        }

        var updated = shown >= 0
            ? _chats[shown] with { LastSeq = message.Seq, ActivityAt = message.SentAt, Preview = ChatStore.Preview(message, formatter) }
            : await chats.GetChatSummaryAsync(message.ChatId);
        if (updated is not null)
        {
            _chats.RemoveAll(c => c.Id == updated.Id);
            _chats.Insert(0, updated);
        }
    }
}
