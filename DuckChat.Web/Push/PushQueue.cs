using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Data.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Push;

/// <summary>What a push about a message shows. <see cref="Tag"/> is the one a tab's own notification uses, so one replaces the other.</summary>
public sealed record PushContent(string SenderName, string ChatName, string Excerpt, string Tag);

/// <summary>
/// Queues pushes about a saved message: one row per device of each recipient (<see cref="PushDelivery"/>), sent by a
/// <see cref="PushSender"/> of whichever instance claims it, never on the send path. Who the recipients are is the
/// caller's decision; a recipient who is no longer in the chat when the push goes out gets nothing.
/// </summary>
public sealed class PushQueue(IDbContextFactory<ChatDbContext> factory, IOptions<PushOptions> options, TimeProvider time)
{
    /// <summary>Recipients looked up per statement: far below either provider's limit on parameters.</summary>
    private const int RecipientsPerLookup = 500;

    public Doorbell Doorbell { get; } = new(time);

    public async Task EnqueueAsync(long messageId, int chatId, IReadOnlyList<string> recipientIds, PushContent content)
    {
        if (!options.Value.Enabled || recipientIds.Count == 0)
        {
            return;
        }

        var payload = PushPayload.For(chatId, content, options.Value);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync();
        foreach (var recipients in recipientIds.Distinct().Chunk(RecipientsPerLookup))
        {
            var devices = await db.PushDevices
                .Where(d => recipients.Contains(d.UserId) && !db.PushDeliveries.Any(p => p.DeviceId == d.Id && p.MessageId == messageId))
                .Select(d => d.Id).ToListAsync();
            db.PushDeliveries.AddRange(devices.Select(deviceId => new PushDelivery
            {
                DeviceId = deviceId, MessageId = messageId, ChatId = chatId, Payload = payload, QueuedAt = now, DueAt = now,
            }));
        }

        // Most people have no device with push turned on: then nothing is written at all.
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync();
            Doorbell.Ring();
        }
    }
}
