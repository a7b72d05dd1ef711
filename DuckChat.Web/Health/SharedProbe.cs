using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Web.Health;

/// <summary>
/// One probe's answer shared by every caller for a period (<see cref="Configuration.HealthOptions.CacheFor"/>): callers
/// that arrive while a probe runs wait for that probe, and callers after it reuse its answer until the period has
/// passed. Readiness is anonymous, so however often it is asked, what it probes sees at most one probe per period.
/// </summary>
public sealed class SharedProbe(Func<TimeSpan> period, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _probe;
    private long _probeEndedAt;

    public Task<HealthCheckResult> GetAsync(Func<Task<HealthCheckResult>> probe, CancellationToken cancellationToken)
    {
        Task<HealthCheckResult> current;
        lock (_gate)
        {
            if (_probe is null || (_probe.IsCompleted && time.GetElapsedTime(Volatile.Read(ref _probeEndedAt)) >= period()))
            {
                // On a thread of its own: a probe may block its thread (SQLite's waits), and callers must not queue on the lock.
                _probe = Task.Run(() => RunAsync(probe), CancellationToken.None);
            }

            current = _probe;
        }

        // A caller that gives up leaves the probe running for the others.
        return current.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> RunAsync(Func<Task<HealthCheckResult>> probe)
    {
        try
        {
            return await probe();
        }
        finally
        {
            Volatile.Write(ref _probeEndedAt, time.GetTimestamp());
        }
    }
}
