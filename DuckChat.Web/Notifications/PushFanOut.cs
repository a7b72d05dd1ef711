using System.Threading.Channels;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Data;
using DuckChat.Web.Presence;
using DuckChat.Web.Push;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Notifications;

/// <summary>
/// After a message is saved, the instance that saved it decides who gets a push about it and queues those pushes
/// (<see cref="PushQueue"/>, claimed and sent by whichever instance, exactly once per device). Only messages to a chat
/// where someone has push on come here (the append says so), and it is decided here, off the send's path: the members with a push device whom <see cref="NotificationPolicy"/> says it notifies and who have no
/// DuckChat tab open anywhere (an open tab shows its own notification, under the same tag).
/// </summary>
public sealed class PushFanOut(
    IDbContextFactory<ChatDbContext> factory, PushQueue pushes, PresenceTracker presence, MessageFormatter formatter, ILogger<PushFanOut> logger)
    : BackgroundService
{
    /// <summary>Messages waiting to be fanned out; past this the oldest are dropped (and logged), so memory stays bounded.</summary>
    private const int MaxWaiting = 10_000;

    private readonly Channel<(MessageView Message, IReadOnlyList<string> PushableIds, IReadOnlyCollection<string> MentionedIds)> _saved =
        Channel.CreateBounded<(MessageView, IReadOnlyList<string>, IReadOnlyCollection<string>)>(new BoundedChannelOptions(MaxWaiting)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        }, dropped => logger.LogWarning("Too many messages waiting for push: message {MessageId} gets no push", dropped.Item1.Id));

    /// <summary>
    /// A message was saved here. <paramref name="pushableIds"/>: the members other than its sender who have a device with
    /// push on; <paramref name="mentionedIds"/>: the members it mentions.
    /// </summary>
    public void Saved(MessageView message, IReadOnlyList<string> pushableIds, IReadOnlyCollection<string> mentionedIds) =>
        _saved.Writer.TryWrite((message, pushableIds, mentionedIds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (message, pushable, mentioned) in _saved.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await FanOutAsync(message, pushable, mentioned);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not queue pushes for message {MessageId}", message.Id);
            }
        }
    }

    private async Task FanOutAsync(MessageView message, IReadOnlyList<string> pushable, IReadOnlyCollection<string> mentioned)
    {
        List<(string UserId, MuteLevel Mute, Accounts.NotifyLevel Notify, ChatKind Kind, string? Name)> members;
        await using (var db = await factory.CreateDbContextAsync())
        {
            members = (await db.ChatMembers
                    // A device turned on after the message was sent is not told of it.
                    .Where(m => m.ChatId == message.ChatId && pushable.Contains(m.UserId)
                        && db.PushDevices.Any(d => d.UserId == m.UserId && d.CreatedAt <= message.SentAt))
                    .Select(m => new { m.UserId, m.Mute, m.User!.Notify, m.Chat!.Kind, m.Chat.Name })
                    .ToListAsync())
                .Select(m => (m.UserId, m.Mute, m.Notify, m.Kind, m.Name)).ToList();
        }

        var recipients = members
            .Where(m => NotificationPolicy.Notifies(m.Notify, m.Mute, m.Kind, mentioned.Contains(m.UserId)) && !presence.HasOpenTab(m.UserId))
            .Select(m => m.UserId).ToList();
        if (recipients.Count == 0)
        {
            return;
        }

        var chatName = members[0].Kind == ChatKind.Group ? members[0].Name ?? "Group" : message.SenderDisplayName;
        await pushes.EnqueueAsync(message.Id, message.ChatId, recipients, new PushContent(
            message.SenderDisplayName, chatName, formatter.PlainText(message.Body), NotificationPolicy.TagOf(message.Id)));
    }
}
