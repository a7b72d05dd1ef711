using DuckChat.Web.Push;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// An app that pushes to <see cref="FakePushService"/>s: loopback is an allowed push host, the fake services'
/// certificate is trusted for pushes, and retries are quick.
/// </summary>
public sealed class PushAppFactory : DuckChatAppFactory
{
    public const string Subject = "mailto:push-admin@example.test";

    public PushAppFactory() : this(new Dictionary<string, string?>())
    {
    }

    private PushAppFactory(IDictionary<string, string?> settings) : base(new Dictionary<string, string?>(settings)
    {
        ["DuckChat:Push:AllowedHosts:0"] = "127.0.0.1",
        ["DuckChat:Push:Subject"] = Subject,
        ["DuckChat:Push:RetryDelay"] = "00:00:00.050",
        ["DuckChat:Push:PollInterval"] = "00:00:00.200",
        ["DuckChat:Push:MaxAttempts"] = "3",
        ["DuckChat:Chat:WriteBurst"] = "10000",
    })
    {
    }

    public static PushAppFactory WithPushSettings(IDictionary<string, string?> settings) => new(settings);

    public PushQueue Queue => Services.GetRequiredService<PushQueue>();

    public async Task<string> PublicKeyAsync() => (await Services.GetRequiredService<VapidKeys>().GetAsync()).PublicKey;

    /// <summary>Waits until every queued push has been handed over or given up.</summary>
    public Task WaitForEmptyPushQueueAsync() => Eventually.TrueAsync(async () =>
    {
        await using var db = await CreateDbContextAsync();
        return !await db.PushDeliveries.AnyAsync();
    }, because: "the push queue to empty");

    public async Task<List<PushDevice>> DevicesAsync(string userId)
    {
        await using var db = await CreateDbContextAsync();
        return await db.PushDevices.AsNoTracking().Where(d => d.UserId == userId).ToListAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddHttpClient(PushSender.HttpClientName).ConfigurePrimaryHttpMessageHandler((handler, _) =>
            ((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString() == FakePushService.Certificate.GetCertHashString()));
    }
}
