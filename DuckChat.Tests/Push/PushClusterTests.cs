using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Push;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Push;

/// <summary>Two app processes share one queue: each push goes to each device once, whichever instance sends it.</summary>
public sealed class PushClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_SendEachPushToEachDeviceExactlyOnce_SignedWithTheOneSharedKey()
    {
        await using var service = await FakePushService.StartAsync();
        var certificates = TestPaths.NewTempDirectory("push-ca");
        await using var cluster = await AppCluster.StartAsync(instances: 2, withRedis: false, environment: new Dictionary<string, string>
        {
            ["DuckChat__Push__AllowedHosts__0"] = "127.0.0.1",
            ["DuckChat__Push__PollInterval"] = "00:00:00.100",
            // The processes trust the fake push service's certificate as they trust the system's CAs (OpenSSL's variable).
            ["SSL_CERT_FILE"] = FakePushService.WriteCertificate(certificates),
        });
        IDbContextFactory<ChatDbContext> shared = new SharedDatabase(cluster.ConnectionString);
        var key = await Eventually.GetAsync(async () =>
        {
            await using var db = await shared.CreateDbContextAsync(Ct);
            return await db.VapidKeys.Select(k => k.PublicKey).FirstOrDefaultAsync(Ct);
        }, k => k is not null, because: "the instances to make the key pair");
        var (aliceId, messages) = await AlicesMessagesAsync(shared);
        var devices = await AddDevicesAsync(shared, service, key!, aliceId, count: 4);

        var queue = new PushQueue(shared, Options.Create(new PushOptions()), TimeProvider.System);
        foreach (var (id, chatId) in messages)
        {
            await queue.EnqueueAsync(id, chatId, [aliceId], new PushContent("bob", "bob", "hi", $"message-{id}"));
        }

        await Eventually.TrueAsync(async () =>
        {
            await using var db = await shared.CreateDbContextAsync(Ct);
            return !await db.PushDeliveries.AnyAsync(Ct);
        }, TimeSpan.FromSeconds(60), because: "both instances to empty the queue");

        Assert.Empty(service.Failures);
        var received = service.Received.Select(p => (p.Subscription.Endpoint, Tag: p.Json.GetProperty("tag").GetString())).ToList();
        var expected = devices.SelectMany(d => messages.Select(m => (d.Endpoint, Tag: (string?)$"message-{m.Id}"))).ToList();
        Assert.Equal(expected.Order(), received.Order());
        TestPaths.DeleteQuietly(certificates);
    }

    /// <summary>Up to five messages in chats alice (a demo person) is in.</summary>
    private static async Task<(string AliceId, List<(long Id, int ChatId)> Messages)> AlicesMessagesAsync(IDbContextFactory<ChatDbContext> shared)
    {
        await using var db = await shared.CreateDbContextAsync(Ct);
        var aliceId = await db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync(Ct);
        var messages = await db.Messages.Where(m => db.ChatMembers.Any(c => c.ChatId == m.ChatId && c.UserId == aliceId))
            .OrderBy(m => m.Id).Take(5).Select(m => new { m.Id, m.ChatId }).ToListAsync(Ct);
        Assert.NotEmpty(messages);
        return (aliceId, messages.Select(m => (m.Id, m.ChatId)).ToList());
    }

    /// <summary>Browsers of alice's, each signed in and subscribed at the fake push service.</summary>
    private static async Task<List<FakeSubscription>> AddDevicesAsync(IDbContextFactory<ChatDbContext> shared, FakePushService service, string key, string userId, int count)
    {
        var devices = Enumerable.Range(0, count).Select(_ => service.Subscribe(key)).ToList();
        await using var db = await shared.CreateDbContextAsync(Ct);
        foreach (var device in devices)
        {
            var signIn = new SignIn { Id = Guid.NewGuid().ToString("N")[..SignIn.IdLength], UserId = userId, CreatedAt = DateTime.UtcNow, LastUsedAt = DateTime.UtcNow };
            db.SignIns.Add(signIn);
            db.PushDevices.Add(new PushDevice
            {
                UserId = userId, SignInId = signIn.Id, Endpoint = device.Endpoint, P256dh = device.P256dh, Auth = device.Auth, Label = "test", CreatedAt = DateTime.UtcNow,
            });
        }

        await db.SaveChangesAsync(Ct);
        return devices;
    }

    /// <summary>The cluster's database, opened from the test as a third party that queues pushes.</summary>
    private sealed class SharedDatabase(string connectionString) : IDbContextFactory<ChatDbContext>
    {
        public ChatDbContext CreateDbContext() => new SqliteChatDbContext(new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite(connectionString).Options);
    }
}
