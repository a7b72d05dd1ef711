using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckChat.Web.Search;

/// <summary>Not ready while messages from before search are still being indexed: a search then would miss them.</summary>
public sealed class SearchIndexHealthCheck(SearchIndexBackfill backfill) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backfill.IsDone
            ? HealthCheckResult.Healthy("Every message is indexed for search.")
            : HealthCheckResult.Unhealthy("Messages from before search are still being indexed."));
}
