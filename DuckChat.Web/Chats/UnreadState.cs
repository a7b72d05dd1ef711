using DuckChat.Web.Accounts;
using DuckChat.Web.Messaging;

namespace DuckChat.Web.Chats;

/// <summary>
/// This circuit's unread counts (badges and the tab title), kept from absolute values: each event carries a
/// chat's Seq or my read position, never a +1, so a missed or repeated event cannot make a badge drift. The chat
/// this circuit's reader is reading counts nothing: its new messages are read as they arrive, and the saved
/// position follows within a second (<see cref="ReadPositionQueue"/>), so the title does not blink "(1)".
/// </summary>
public sealed class UnreadState(ReadService reads, CurrentUser currentUser, IMessageBus bus, ILogger<UnreadState> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private Dictionary<int, ReadState> _chats = [];
    private IDisposable? _subscription;
    private string? _me;
    private int? _reading;

    /// <summary>Raised (on the bus's thread) after a count changed; components re-render through InvokeAsync.</summary>
    public event Func<Task>? Changed;

    public long Total
    {
        get
        {
            lock (_gate)
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
    }

    public long For(int chatId)
    {
        lock (_gate)
        {
            return chatId != _reading && _chats.TryGetValue(chatId, out var state) ? state.Unread : 0;
        }
    }

    /// <summary>This circuit's reader is reading <paramref name="chatId"/> (null: none) and sees its new messages.</summary>
    public async Task ReadingAsync(int? chatId)
    {
        long before;
        lock (_gate)
        {
            if (_reading == chatId)
            {
                return;
            }

            before = Total;
            _reading = chatId;
        }

        if (Total != before)
        {
            await NotifyAsync();
        }
    }

    public async Task StartAsync()
    {
        if (_subscription is not null)
        {
            return;
        }

        (_me, _) = await currentUser.GetAsync();
        _subscription = bus.Subscribe(Topics.User(_me), OnEventAsync);
        var loaded = await reads.GetReadStatesAsync();
        lock (_gate)
        {
            _chats = loaded;
        }

        await NotifyAsync();
    }

    private async Task OnEventAsync(BusEvent busEvent)
    {
        try
        {
            await ApplyAsync(busEvent);
        }
        catch (Exception e)
        {
            // The counts stay as they were; the next event or a reload of the page brings them back in line.
            logger.LogError(e, "Could not update the unread counts for {Event}", busEvent.GetType().Name);
        }
    }

    private async Task ApplyAsync(BusEvent busEvent)
    {
        if (busEvent is DeliveryResumed)
        {
            var reloaded = await reads.GetReadStatesAsync();
            lock (_gate)
            {
                _chats = reloaded;
            }

            await NotifyAsync();
            return;
        }

        if (busEvent is MessagePosted { Message.ChatId: var newChat } && !Knows(newChat))
        {
            // A chat I just joined: where my read position starts is the server's to say, not zero.
            foreach (var (chatId, state) in await reads.GetReadStatesAsync(newChat))
            {
                lock (_gate)
                {
                    _chats[chatId] = state;
                }
            }
        }

        lock (_gate)
        {
            switch (busEvent)
            {
                case MessagePosted { Message: var message }:
                    var state = _chats.GetValueOrDefault(message.ChatId);
                    var lastSeq = Math.Max(state.LastSeq, message.Seq);
                    // My own messages are read by definition (the server moved my position with them).
                    var lastRead = message.SenderId == _me ? Math.Max(state.LastReadSeq, message.Seq) : state.LastReadSeq;
                    if (!Update(message.ChatId, new ReadState(lastSeq, lastRead)))
                    {
                        return;
                    }

                    break;
                case ReadPositionChanged changed:
                    if (!Update(changed.ChatId, _chats.GetValueOrDefault(changed.ChatId) with { LastReadSeq = changed.LastReadSeq }))
                    {
                        return;
                    }

                    break;
                case MemberRemoved removed when removed.UserId == _me:
                    _chats.Remove(removed.ChatId);
                    break;
                case ChatDeleted deleted:
                    _chats.Remove(deleted.ChatId);
                    break;
                default:
                    return;
            }
        }

        await NotifyAsync();
    }

    /// <summary>Under the gate: stores a chat's new state; whether this circuit shows a different count for it.</summary>
    private bool Update(int chatId, ReadState state)
    {
        var before = _chats.GetValueOrDefault(chatId).Unread;
        _chats[chatId] = state;
        return chatId != _reading && state.Unread != before;
    }

    private async Task NotifyAsync()
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            await ((Func<Task>)handler)();
        }
    }

    private bool Knows(int chatId)
    {
        lock (_gate)
        {
            return _chats.ContainsKey(chatId);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
