using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;

namespace DuckChat.Web.Chats.Reading;

/// <summary>
/// This circuit's <see cref="UnreadCounts"/>, kept up to date from the person's topic. Every change runs on the
/// circuit's dispatcher (the layout hands it over when it starts this), where the components that show the counts
/// read them, so nothing here is shared between threads.
/// </summary>
public sealed class UnreadState(
    ReadPositions reads, CurrentUser currentUser, IMessageBus bus, Diagnostics.DuckChatMetrics metrics, ILogger<UnreadState> logger) : IDisposable
{
    private UnreadCounts? _counts;
    private IDisposable? _subscription;

    /// <summary>Raised on the circuit's dispatcher after this circuit's counts changed.</summary>
    public event Func<Task>? Changed;

    public long Total => _counts?.Total ?? 0;

    /// <summary>The tab is hidden (its chat page says so): the title and the chat list need not follow every message at once.</summary>
    public bool TabHidden { get; private set; }

    /// <summary>The chat page tells whether the tab is hidden; shown again, the views that held their changes catch up.</summary>
    public async Task TabHiddenAsync(bool hidden)
    {
        if (TabHidden == hidden)
        {
            return;
        }

        TabHidden = hidden;
        if (!hidden)
        {
            await NotifyAsync();
        }
    }

    public long For(int chatId) => _counts?.For(chatId) ?? 0;

    /// <summary>What the chat's entry in a list shows: its unread count, whether it has an unread mention of me, and its mute.</summary>
    public ChatBadge BadgeOf(int chatId) => _counts is { } counts ? new(counts.For(chatId), counts.MentionFor(chatId), counts.MuteOf(chatId)) : default;

    public MuteLevel MuteOf(int chatId) => _counts?.MuteOf(chatId) ?? MuteLevel.None;

    /// <summary>Starts following the person's topic; <paramref name="onCircuit"/> runs work on the circuit's dispatcher.</summary>
    public async Task StartAsync(Func<Func<Task>, Task>? onCircuit = null)
    {
        if (_subscription is not null)
        {
            return;
        }

        var inbox = new CircuitInbox(metrics, onCircuit ?? (work => work()), ApplyAsync, e =>
        {
            // The counts stay as they were; the next event or a reload of the page brings them back in line.
            logger.LogError(e, "Could not update the unread counts");
            return Task.CompletedTask;
        });
        var (me, _) = await currentUser.GetAsync();
        _counts = new UnreadCounts(me);
        _subscription = bus.Subscribe(Topics.User(me), inbox.DeliverAsync);
        _counts.Load(await reads.GetStatesAsync(), replace: true);
        await NotifyAsync();
    }

    /// <summary>This circuit's reader is reading <paramref name="chatId"/> (null: none) and sees its new messages.</summary>
    public async Task ReadingAsync(int? chatId)
    {
        if (_counts?.Reading(chatId) == true)
        {
            await NotifyAsync();
        }
    }

    private async Task ApplyAsync(BusEvent busEvent)
    {
        var counts = _counts!;
        switch (busEvent)
        {
            case DeliveryResumed:
                counts.Load(await reads.GetStatesAsync(), replace: true);
                break;
            case MessagePosted { Message.ChatId: var chatId } when !counts.Knows(chatId):
                // A chat I just joined: where my read position starts is the server's to say, not zero.
                counts.Load(await reads.GetStatesAsync(chatId), replace: false);
                counts.Apply(busEvent);
                break;
            case MessageChanged { Message.ChatId: var chatId } when counts.LosesNewestMention(busEvent):
                counts.Load(await reads.GetStatesAsync(chatId), replace: false);
                break;
            default:
                if (!counts.Apply(busEvent))
                {
                    return;
                }

                break;
        }

        await NotifyAsync();
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

    public void Dispose() => _subscription?.Dispose();
}

/// <summary>A chat's entry badges: unread messages, an unread mention of me ("@"), and whether I muted it (dimmed).</summary>
public readonly record struct ChatBadge(long Unread, bool Mention, MuteLevel Mute);
