using DuckChat.Web.Data;
using DuckChat.Web.Data.Queues;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Mail;

/// <summary>Puts mail in the queue table (<see cref="QueuedMail"/>) and wakes this instance's <see cref="MailSender"/>.</summary>
public sealed class MailQueue(IDbContextFactory<ChatDbContext> factory, TimeProvider time)
{
    public Doorbell Doorbell { get; } = new(time);

    public async Task EnqueueAsync(MailKind kind, string recipient)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.QueuedMails.Add(new QueuedMail { Kind = kind, Recipient = recipient, QueuedAt = now, DueAt = now });
            await db.SaveChangesAsync();
        }

        Doorbell.Ring();
    }
}
