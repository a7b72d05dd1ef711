using DuckChat.Web.Configuration;
using DuckChat.Web.Files.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Health;

/// <summary>
/// The file store unreachable (or its folder not writable) is Degraded, not Unhealthy: text messages still save and
/// show, only uploads and downloads fail, each saying so. The store sees at most one probe per
/// <see cref="HealthOptions.CacheFor"/> (<see cref="SharedProbe"/>), which gives up after a few seconds.
/// </summary>
public sealed class FileStoreHealthCheck(IFileStore store, IOptions<FilesOptions> files, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly SharedProbe _shared = new(() => options.Value.CacheFor, time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _shared.GetAsync(ProbeStoreAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeStoreAsync()
    {
        if (!files.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Files are turned off.");
        }

        try
        {
            await store.CheckAsync(CancellationToken.None);
            return HealthCheckResult.Healthy($"The {files.Value.Store} file store is reachable and usable.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Degraded(
                $"The {files.Value.Store} file store cannot be reached or written: files cannot be uploaded or downloaded; text messages still send.", e);
        }
    }
}
