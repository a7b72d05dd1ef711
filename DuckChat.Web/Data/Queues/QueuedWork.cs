namespace DuckChat.Web.Data.Queues;

/// <summary>
/// A row of work (a mail, a push) that must happen once however many instances share the database: an instance
/// claims it (a conditional UPDATE that only one can win) before doing it, and removes it when done. A claim lasts a
/// while only, so work an instance took down with it is free again after that.
/// </summary>
public interface IQueuedWork
{
    long Id { get; }
    DateTime QueuedAt { get; }

    /// <summary>Not done before this: the queue time, later after a failed attempt.</summary>
    DateTime DueAt { get; }

    int Attempts { get; }

    /// <summary>The instance doing it, until <see cref="ClaimedUntil"/>; a claim that ran out (a crash) is free again.</summary>
    string? ClaimedBy { get; }

    DateTime? ClaimedUntil { get; }
}

/// <summary>What came of one attempt: done, to be tried again (not before a time, when the other side named one), or given up.</summary>
public sealed record Attempt(Exception? Failure, bool TryAgain, DateTime? NotBefore = null)
{
    public static readonly Attempt Done = new(null, false);

    public static Attempt Failed(Exception failure, DateTime? notBefore = null) => new(failure, true, notBefore);

    /// <summary>Trying again cannot help (the other side refused it for good, or it is too late to matter).</summary>
    public static Attempt GivenUp(Exception why) => new(why, false);
}

/// <summary>Wakes this instance's worker when work is queued here, instead of waiting for its next look.</summary>
public sealed class Doorbell(TimeProvider time)
{
    private readonly SemaphoreSlim _rung = new(0, 1);

    public void Ring()
    {
        try
        {
            _rung.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already rung: the worker looks at everything that is due.
        }
    }

    /// <summary>Waits until the bell rings or <paramref name="timeout"/> passes (other instances queue work too).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _rung.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time to look anyway.
        }
    }
}
