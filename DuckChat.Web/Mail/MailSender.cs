using DuckChat.Web.Data;
using DuckChat.Web.Data.Queues;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Mail;

/// <summary>
/// Sends queued mail, each once however many instances share the database (<see cref="QueueWorker{TWork}"/>). A
/// failed send is tried again later, up to <see cref="MaxAttempts"/> times: a mail server that is down for a while
/// gets minutes, then an hour.
/// </summary>
public sealed class MailSender(
    IDbContextFactory<ChatDbContext> factory,
    MailQueue queue,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<MailSender> logger) : QueueWorker<QueuedMail>(factory, queue.Doorbell, time, logger)
{
    protected override TimeSpan ClaimLength => TimeSpan.FromMinutes(2);

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(10);

    protected override int MaxAttempts => 5;

    protected override int BatchSize => 20;

    protected override DbSet<QueuedMail> Table(ChatDbContext db) => db.QueuedMails;

    protected override TimeSpan RetryDelay(int attempts) => TimeSpan.FromMinutes(Math.Pow(4, attempts));

    protected override async Task<Attempt> AttemptAsync(QueuedMail mail, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MailComposer>().SendAsync(mail, cancellationToken);
        return Attempt.Done;
    }
}
