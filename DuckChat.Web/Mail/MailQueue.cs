using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Mail;

/// <summary>Puts mail in the queue table (<see cref="QueuedMail"/>) and wakes this instance's <see cref="MailSender"/>.</summary>
public sealed class MailQueue(IDbContextFactory<ChatDbContext> factory, TimeProvider time)
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    public async Task EnqueueAsync(MailKind kind, string recipient)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.QueuedMails.Add(new QueuedMail { Kind = kind, Recipient = recipient, QueuedAt = now, DueAt = now });
            await db.SaveChangesAsync();
        }

        Wake();
    }

    /// <summary>Waits until mail is queued here or <paramref name="timeout"/> passes (other instances queue mail too).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _queued.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time to look anyway.
        }
    }

    private void Wake()
    {
        try
        {
            _queued.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the sender looks at everything that is due.
        }
    }
}
