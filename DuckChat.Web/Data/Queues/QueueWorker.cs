using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Data.Queues;

/// <summary>
/// Does the queued work of one table (<typeparamref name="TWork"/>). Each instance runs one; it claims a batch of
/// due rows in one conditional UPDATE (rows another instance holds are left alone), does each, then removes what is
/// finished and puts back what failed, later each time, up to <see cref="MaxAttempts"/>. So each row is done once
/// however many instances share the database, and a crashed instance's claims run out after <see cref="ClaimLength"/>.
/// </summary>
public abstract class QueueWorker<TWork>(IDbContextFactory<ChatDbContext> factory, Doorbell doorbell, TimeProvider time, ILogger logger)
    : BackgroundService where TWork : class, IQueuedWork
{
    protected IDbContextFactory<ChatDbContext> Factory { get; } = factory;

    protected TimeProvider Time { get; } = time;

    /// <summary>This instance, as its claims name it.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    protected abstract TimeSpan ClaimLength { get; }

    /// <summary>How often to look for work other instances queued, or whose retry is due.</summary>
    protected abstract TimeSpan PollInterval { get; }

    protected abstract int MaxAttempts { get; }

    /// <summary>Rows claimed at once (they must all be done within <see cref="ClaimLength"/>).</summary>
    protected abstract int BatchSize { get; }

    /// <summary>Rows of a batch worked on at the same time.</summary>
    protected virtual int Concurrency => 1;

    protected abstract DbSet<TWork> Table(ChatDbContext db);

    /// <summary>How long to wait before the next attempt, after <paramref name="attempts"/> failed ones.</summary>
    protected abstract TimeSpan RetryDelay(int attempts);

    protected abstract Task<Attempt> AttemptAsync(TWork work, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DoDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is in trouble: the work stays queued and is tried again.
                logger.LogError(e, "Could not look for queued {Work}", typeof(TWork).Name);
            }

            await doorbell.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Does one batch of what is due and not claimed by another instance; returns how many rows it handled.</summary>
    public async Task<int> DoDueAsync(CancellationToken cancellationToken)
    {
        var batch = await ClaimAsync(cancellationToken);
        var outcomes = new Attempt[batch.Count];
        await Parallel.ForAsync(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await TryAsync(batch[i], token));

        await using var db = await Factory.CreateDbContextAsync(CancellationToken.None);
        var finished = new List<long>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (work, outcome) = (batch[i], outcomes[i]);
            if (outcome.Failure is not { } failure)
            {
                finished.Add(work.Id);
            }
            else if (!outcome.TryAgain || work.Attempts + 1 >= MaxAttempts)
            {
                logger.LogError(failure, "Gave up {Work} {Id} after {Attempts} attempts", typeof(TWork).Name, work.Id, work.Attempts + 1);
                finished.Add(work.Id);
            }
            else
            {
                var retryAt = Time.GetUtcNow().UtcDateTime + RetryDelay(work.Attempts);
                retryAt = outcome.NotBefore > retryAt ? outcome.NotBefore.Value : retryAt;
                logger.LogWarning(failure, "Could not do {Work} {Id}; trying again at {RetryAt:u}", typeof(TWork).Name, work.Id, retryAt);
                await Mine(db, [work.Id]).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.Attempts, work.Attempts + 1)
                    .SetProperty(w => w.DueAt, retryAt)
                    .SetProperty(w => w.ClaimedBy, (string?)null)
                    .SetProperty(w => w.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            }
        }

        if (finished.Count > 0)
        {
            await Mine(db, finished).ExecuteDeleteAsync(CancellationToken.None);
        }

        return batch.Count;
    }
    private async Task<Attempt> TryAsync(TWork work, CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(work, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed(e);
        }
    }

    /// <summary>Claims up to <see cref="BatchSize"/> due rows nobody holds, and reads back the ones this instance won.</summary>
    private async Task<List<TWork>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var until = now + ClaimLength;
        await using var db = await Factory.CreateDbContextAsync(cancellationToken);
        var free = Table(db).Where(w => w.DueAt <= now && (w.ClaimedUntil == null || w.ClaimedUntil < now));
        var due = await free.OrderBy(w => w.DueAt).Select(w => w.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        await free.Where(w => due.Contains(w.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ClaimedBy, InstanceId).SetProperty(w => w.ClaimedUntil, until), cancellationToken);
        return await Table(db).AsNoTracking().Where(w => due.Contains(w.Id) && w.ClaimedBy == InstanceId && w.ClaimedUntil == until)
            .ToListAsync(cancellationToken);
    }

    private IQueryable<TWork> Mine(ChatDbContext db, List<long> ids) =>
        Table(db).Where(w => ids.Contains(w.Id) && w.ClaimedBy == InstanceId);
}
