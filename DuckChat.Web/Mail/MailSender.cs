using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Mail;

/// <summary>
/// Sends queued mail. Each instance runs one; an instance claims a row (a conditional UPDATE that only one can win)
/// before sending it, so a mail goes out once however many instances share the database. A claim lasts
/// <see cref="ClaimLength"/>: an instance that dies mid-send leaves the row to another after that. A failed send is
/// tried again later, up to <see cref="MaxAttempts"/> times.
/// </summary>
public sealed class MailSender(
    IDbContextFactory<ChatDbContext> factory,
    MailQueue queue,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<MailSender> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan ClaimLength = TimeSpan.FromMinutes(2);

    /// <summary>How often to look for mail that other instances queued, or whose retry is due.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private const int RowsPerLook = 20;

    /// <summary>This instance, as its claims name it.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is in trouble: the mail stays queued and is tried again.
                logger.LogError(e, "Could not look for mail to send");
            }

            await queue.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Sends what is due and not claimed by another instance; returns how many rows it handled.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.QueuedMails
                .Where(m => m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .OrderBy(m => m.DueAt).Select(m => m.Id).Take(RowsPerLook).ToListAsync(cancellationToken);
        }

        var handled = 0;
        foreach (var id in due)
        {
            if (await ClaimAsync(id, cancellationToken) is { } mail)
            {
                await SendAsync(mail, cancellationToken);
                handled++;
            }
        }

        return handled;
    }

    private async Task<QueuedMail?> ClaimAsync(long id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.QueuedMails
            .Where(m => m.Id == id && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, InstanceId).SetProperty(m => m.ClaimedUntil, now + ClaimLength), cancellationToken);
        return claimed == 0 ? null : await db.QueuedMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.ClaimedBy == InstanceId, cancellationToken);
    }

    private async Task SendAsync(QueuedMail mail, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MailComposer>().SendAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var mine = db.QueuedMails.Where(m => m.Id == mail.Id && m.ClaimedBy == InstanceId);
        if (failure is null || mail.Attempts + 1 >= MaxAttempts)
        {
            if (failure is not null)
            {
                logger.LogError(failure, "Gave up mail {MailId} ({Kind}) after {Attempts} attempts", mail.Id, mail.Kind, MaxAttempts);
            }

            await mine.ExecuteDeleteAsync(CancellationToken.None);
            return;
        }

        // Later, and later again: a mail server that is down for a while gets minutes, then an hour.
        var retryAt = time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(Math.Pow(4, mail.Attempts));
        logger.LogWarning(failure, "Could not send mail {MailId} ({Kind}); trying again at {RetryAt:u}", mail.Id, mail.Kind, retryAt);
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, mail.Attempts + 1)
            .SetProperty(m => m.DueAt, retryAt)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
    }
}
