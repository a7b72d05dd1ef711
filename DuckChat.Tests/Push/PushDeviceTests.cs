using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Push;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Push;

/// <summary>Turning push on for a device (every check on the server), the key pair, and what removes devices.</summary>
public sealed class PushDeviceTests(PushAppFactory app) : IClassFixture<PushAppFactory>
{
    private static readonly FakeSubscription Keys = new("https://push.example.test/x", "");

    [Theory]
    [InlineData("http://127.0.0.1/push/1")] // not https
    [InlineData("https://user:pw@127.0.0.1/push/1")]
    [InlineData("https://localhost/push/1")] // loopback, and not an allowed host
    [InlineData("https://10.1.2.3/push/1")] // a private network
    [InlineData("https://[fd00::1]/push/1")]
    [InlineData("https://169.254.169.254/latest/meta-data")] // a cloud's metadata service
    [InlineData("https://push.example.test:8443/push/1")] // not 443
    [InlineData("https://does-not-exist.invalid/push/1")]
    public async Task EndpointOutsideThePublicInternet_IsRefused_AndNothingIsStored(string endpoint)
    {
        var eve = await app.CreatePersonAsync($"eve{Math.Abs(endpoint.GetHashCode())}");

        var result = await app.ServiceFor<PushDevices>(eve).AddAsync(new BrowserSubscription(endpoint, Keys.P256dh, Keys.Auth, ""));

        Assert.False(result.Succeeded);
        Assert.Empty(await app.DevicesAsync(eve.Id));
    }

    [Theory]
    [InlineData("1.1.1.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    public void PublicAddresses_AreTheOnlyOnesPostedToWithoutTheAllowlist(string address, bool isPublic) =>
        Assert.Equal(isPublic, PushEndpoints.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("BAD", "AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("BAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", "AAAAAAAAAAAAAAAAAAAAAA")] // not on the curve
    [InlineData(null, "AAAA")]
    public async Task KeysThatAreNotAP256KeyAndA16ByteSecret_AreRefused(string? p256dh, string auth)
    {
        await using var service = await FakePushService.StartAsync();
        var eve = await app.CreatePersonAsync($"keys{Math.Abs((p256dh + auth).GetHashCode())}");
        var endpoint = service.Subscribe(await app.PublicKeyAsync()).Endpoint;

        var result = await app.ServiceFor<PushDevices>(eve).AddAsync(new BrowserSubscription(endpoint, p256dh ?? Keys.P256dh, auth, ""));

        Assert.False(result.Succeeded);
        Assert.Empty(await app.DevicesAsync(eve.Id));
    }

    [Fact]
    public async Task ADevice_IsListedToItsOwnerOnly_AndRemovedOnlyByIt()
    {
        await using var service = await FakePushService.StartAsync();
        var alice = await app.CreatePersonAsync("list-alice");
        var mallory = await app.CreatePersonAsync("list-mallory");
        var device = service.Subscribe(await app.PublicKeyAsync());
        var alices = app.ServiceFor<PushDevices>(alice);
        Assert.True((await alices.AddAsync(new BrowserSubscription(device.Endpoint, device.P256dh, device.Auth, "Mozilla/5.0 (Linux; Android 15) Firefox/141.0"))).Succeeded);

        var listed = Assert.Single(await alices.ListAsync());
        Assert.Equal("Firefox on Android", listed.Label);
        Assert.Empty(await app.ServiceFor<PushDevices>(mallory).ListAsync());
        await app.ServiceFor<PushDevices>(mallory).RemoveAsync(listed.Id);
        Assert.Single(await alices.ListAsync());
        Assert.True((await alices.RemoveAsync(listed.Id)).Succeeded);
        Assert.Empty(await alices.ListAsync());
    }

    [Fact]
    public async Task TheSameBrowserSubscription_BelongsToWhoeverTurnedItOnLast()
    {
        await using var service = await FakePushService.StartAsync();
        var first = await app.CreatePersonAsync("same-first");
        var second = await app.CreatePersonAsync("same-second");
        var device = service.Subscribe(await app.PublicKeyAsync());
        var subscription = new BrowserSubscription(device.Endpoint, device.P256dh, device.Auth, "");

        Assert.True((await app.ServiceFor<PushDevices>(first).AddAsync(subscription)).Succeeded);
        Assert.True((await app.ServiceFor<PushDevices>(second).AddAsync(subscription)).Succeeded);

        Assert.Empty(await app.DevicesAsync(first.Id));
        Assert.Single(await app.DevicesAsync(second.Id));
    }

    [Fact]
    public async Task MoreDevicesThanTheLimit_AreRefused()
    {
        await using var few = PushAppFactory.WithPushSettings(new Dictionary<string, string?> { ["DuckChat:Push:MaxDevicesPerAccount"] = "2" });
        await using var service = await FakePushService.StartAsync();
        var alice = await few.CreatePersonAsync("many-alice");
        var devices = few.ServiceFor<PushDevices>(alice);
        var key = (await few.Services.GetRequiredService<VapidKeys>().GetAsync(TestContext.Current.CancellationToken)).PublicKey;

        var results = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            var device = service.Subscribe(key);
            results.Add((await devices.AddAsync(new BrowserSubscription(device.Endpoint, device.P256dh, device.Auth, ""))).Succeeded);
        }

        Assert.Equal([true, true, false], results);
    }

    [Fact]
    public async Task LockingOrDeletingAnAccount_RemovesEveryDeviceOfIt()
    {
        await using var service = await FakePushService.StartAsync();
        var admin = await app.CreateAdminAsync("rm-admin");
        var locked = await app.CreatePersonAsync("rm-locked");
        var deleted = await app.CreatePersonAsync("rm-deleted");
        var bystander = await app.CreatePersonAsync("rm-bystander");
        foreach (var user in new[] { locked, deleted, bystander })
        {
            var device = service.Subscribe(await app.PublicKeyAsync());
            Assert.True((await app.ServiceFor<PushDevices>(user).AddAsync(new BrowserSubscription(device.Endpoint, device.P256dh, device.Auth, ""))).Succeeded);
        }

        var admins = app.ServiceFor<UserAdministration>(admin);
        Assert.True((await admins.LockAsync(locked.Id, null, "spam")).Succeeded);
        Assert.True((await admins.DeleteAsync(deleted.Id, "asked to")).Succeeded);

        Assert.Empty(await app.DevicesAsync(locked.Id));
        Assert.Empty(await app.DevicesAsync(deleted.Id));
        Assert.Single(await app.DevicesAsync(bystander.Id));
    }

    [Fact]
    public async Task InstancesStartingTogether_EndWithOneKeyPair()
    {
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.VapidKeys.ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        var instances = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<VapidKeys>(app.Services)).ToList();
        var pairs = await Task.WhenAll(instances.Select(keys => Task.Run(() => keys.GetAsync(TestContext.Current.CancellationToken))));

        Assert.Single(pairs.Distinct());
        await using var check = await app.CreateDbContextAsync();
        var stored = Assert.Single(await check.VapidKeys.ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(stored.PublicKey, pairs[0].PublicKey);
        Assert.True(PushOptions.IsKeyPair(stored.PublicKey, stored.PrivateKey));
    }

    [Fact]
    public async Task KeysInTheConfiguration_TakePrecedence_AndMustBeOnePair()
    {
        var (mine, other) = (NewPair(), NewPair());
        var configured = new PushOptions { PublicKey = mine.PublicKey, PrivateKey = mine.PrivateKey };
        var mismatched = new PushOptions { PublicKey = mine.PublicKey, PrivateKey = other.PrivateKey };
        var validator = new SettingsValidator<PushOptions>("DuckChat:Push");

        var keys = ActivatorUtilities.CreateInstance<VapidKeys>(app.Services, Options.Create(configured));

        Assert.Equal(mine, await keys.GetAsync(TestContext.Current.CancellationToken));
        Assert.True(validator.Validate(null, configured).Succeeded);
        Assert.True(validator.Validate(null, mismatched).Failed);
        Assert.True(validator.Validate(null, new PushOptions { PublicKey = mine.PublicKey }).Failed);
    }

    [Fact]
    public async Task ServiceWorker_IsServedFromTheRoot_ToAnyone_UnderAPolicyThatAllowsOnlyOurOwnWorkers()
    {
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync("/sw.js", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("worker-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("\"notificationclick\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Payload_ShortensTheExcerptBetweenWholeCharacters()
    {
        var options = new PushOptions { ExcerptLength = 10 };

        var json = PushPayload.For(7, new PushContent("bob", "Pond", "abcdefgh👍🏽👍🏽", "message-1"), options);

        Assert.Equal("""{"title":"bob · Pond","body":"abcdefgh…","tag":"message-1","url":"/chats/7"}""", json);
    }

    private static VapidKeyPair NewPair()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(true);
        return new(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. p.Q.X!, .. p.Q.Y!]),
            Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(p.D!));
    }
}
