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
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.QueuedMails.Add(NewMail(kind, recipient));
            await db.SaveChangesAsync();
        }

        Doorbell.Ring();
    }

    /// <summary>
    /// Queues a mail about the messages between <paramref name="aboutFrom"/> and <paramref name="aboutUntil"/> only if
    /// <paramref name="claim"/> (an UPDATE that only one instance can win; it returns the rows it changed) changes a
    /// row, in the same transaction: the claim and the mail are saved together or not at all.
    /// </summary>
    public async Task<bool> EnqueueClaimedAsync(
        MailKind kind, string recipient, DateTime? aboutFrom, DateTime aboutUntil, Func<ChatDbContext, Task<int>> claim)
    {
        bool queued;
        await using (var db = await factory.CreateDbContextAsync())
        {
            queued = await db.InTransactionAsync(async transaction =>
            {
                if (await claim(db) == 0)
                {
                    return false;
                }

                var mail = NewMail(kind, recipient);
                mail.AboutFrom = aboutFrom;
                mail.AboutUntil = aboutUntil;
                db.QueuedMails.Add(mail);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                return true;
            });
        }

        if (queued)
        {
            Doorbell.Ring();
        }

        return queued;
    }

    private QueuedMail NewMail(MailKind kind, string recipient)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new QueuedMail { Kind = kind, Recipient = recipient, QueuedAt = now, DueAt = now };
    }
}
