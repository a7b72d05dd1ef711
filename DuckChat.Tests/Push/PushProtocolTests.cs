using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Push;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Push;

/// <summary>
/// Pushes from the queue to a push service on loopback that checks each one as a vendor's would (the VAPID token
/// against the key the browser subscribed with, RFC 8291 decryption with the browser's keys): the protocol, proven
/// without the internet.
/// </summary>
public sealed class PushProtocolTests(PushAppFactory app) : IClassFixture<PushAppFactory>
{
    [Fact]
    public async Task QueuedPush_ArrivesSignedAndEncrypted_CarryingOnlyTheNotification()
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync("enc", "Hello there, alice");
        var device = await SubscribeAsync(service, alice);

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], new PushContent("enc-bob", "enc-bob", "Hello there, alice", $"message-{messageId}"));

        var push = await ReceivedAsync(service, 1);
        Assert.Empty(service.Failures);
        Assert.Same(device, push[0].Subscription);
        Assert.Equal(PushAppFactory.Subject, push[0].Subject);
        Assert.Equal((int)TimeSpan.FromHours(12).TotalSeconds, push[0].TimeToLive);
        var json = push[0].Json;
        Assert.Equal(["title", "body", "tag", "url"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("enc-bob", json.GetProperty("title").GetString());
        Assert.Equal("Hello there, alice", json.GetProperty("body").GetString());
        Assert.Equal($"message-{messageId}", json.GetProperty("tag").GetString());
        Assert.Equal($"/chats/{chatId}", json.GetProperty("url").GetString());
        await app.WaitForEmptyPushQueueAsync();
    }

    [Fact]
    public async Task EnqueuedTwice_IsSentOncePerDevice()
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync("twice", "once");
        var phone = await SubscribeAsync(service, alice);
        var laptop = await SubscribeAsync(service, alice);
        var content = new PushContent("twice-bob", "twice-bob", "once", $"message-{messageId}");

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id, alice.Id], content);
        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], content);
        await app.WaitForEmptyPushQueueAsync();

        Assert.Equal(new[] { laptop, phone }.Select(s => s.Endpoint).Order(), service.Received.Select(p => p.Subscription.Endpoint).Order());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task SubscriptionGone_RemovesTheDevice_AndOnlyIt(HttpStatusCode answer)
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync($"gone{(int)answer}", "are you there?");
        var gone = await SubscribeAsync(service, alice);
        var kept = await SubscribeAsync(service, alice);
        gone.Answers.Enqueue(answer);

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], new PushContent("b", "b", "are you there?", "t"));
        await app.WaitForEmptyPushQueueAsync();

        Assert.Equal(2, service.Received.Count);
        Assert.Equal(kept.Endpoint, Assert.Single(await app.DevicesAsync(alice.Id)).Endpoint);
    }

    [Fact]
    public async Task ServerError_IsTriedAgain_UntilItGoesThrough()
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync("retry", "later");
        var device = await SubscribeAsync(service, alice);
        device.Answers.Enqueue(HttpStatusCode.InternalServerError);
        device.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], new PushContent("b", "b", "later", "t"));
        await app.WaitForEmptyPushQueueAsync();

        Assert.Equal(3, service.Received.Count);
        Assert.True(device.Answers.IsEmpty);
        Assert.Single(await app.DevicesAsync(alice.Id));
    }

    [Fact]
    public async Task ServerErrorEveryTime_IsGivenUpAfterMaxAttempts_KeepingTheDevice()
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync("giveup", "never");
        var device = await SubscribeAsync(service, alice);
        for (var i = 0; i < 5; i++)
        {
            device.Answers.Enqueue(HttpStatusCode.InternalServerError);
        }

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], new PushContent("b", "b", "never", "t"));
        await app.WaitForEmptyPushQueueAsync();

        Assert.Equal(3, service.Received.Count); // DuckChat:Push:MaxAttempts
        Assert.Single(await app.DevicesAsync(alice.Id));
    }

    [Fact]
    public async Task SomeoneWhoLeftTheChatBeforeThePushWentOut_GetsNothing()
    {
        await using var service = await FakePushService.StartAsync();
        var alice = await app.CreatePersonAsync("left-alice");
        var carol = await app.CreatePersonAsync("left-carol");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync("Pond", [carol.Id]);
        var sent = await app.ChatServiceFor(alice).SendAsync(created.ChatId, "secret plans", Guid.NewGuid());
        await SubscribeAsync(service, carol);
        Assert.True((await app.ServiceFor<GroupService>(carol).LeaveAsync(created.ChatId)).Succeeded);

        await app.Queue.EnqueueAsync(sent.Message!.Id, created.ChatId, [carol.Id], new PushContent("left-alice", "Pond", "secret plans", "t"));
        await app.WaitForEmptyPushQueueAsync();

        Assert.Empty(service.Received);
    }

    [Fact]
    public async Task EndpointStoredPastTheCheck_IsNotPostedTo_WhenItIsNotAllowedAtSendTime()
    {
        await using var service = await FakePushService.StartAsync();
        var (alice, _, chatId, messageId) = await DirectMessageAsync("sneak", "hi");
        var device = service.Subscribe(await app.PublicKeyAsync());
        // "localhost" is not in AllowedHosts (127.0.0.1 is): as if a name had been re-pointed to loopback after subscribing.
        var endpoint = device.Endpoint.Replace("127.0.0.1", "localhost");
        await using (var db = await app.CreateDbContextAsync())
        {
            var signIn = new SignIn { Id = Guid.NewGuid().ToString("N")[..SignIn.IdLength], UserId = alice.Id, CreatedAt = DateTime.UtcNow, LastUsedAt = DateTime.UtcNow };
            db.SignIns.Add(signIn);
            db.PushDevices.Add(new PushDevice { UserId = alice.Id, SignInId = signIn.Id, Endpoint = endpoint, P256dh = device.P256dh, Auth = device.Auth, Label = "x", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await app.Queue.EnqueueAsync(messageId, chatId, [alice.Id], new PushContent("b", "b", "hi", "t"));
        await app.WaitForEmptyPushQueueAsync();

        Assert.Empty(service.Received);
        Assert.Single(await app.DevicesAsync(alice.Id));
    }

    [Fact]
    public async Task WithShowContentOff_APushSaysOnlyNewMessage()
    {
        await using var quiet = PushAppFactory.WithPushSettings(new Dictionary<string, string?> { ["DuckChat:Push:ShowContent"] = "false" });
        await using var service = await FakePushService.StartAsync();
        var alice = await quiet.CreatePersonAsync("quiet-alice");
        await quiet.CreatePersonAsync("quiet-bob");
        var chatId = (await quiet.ChatServiceFor(alice).OpenDirectChatAsync("quiet-bob")).ChatId;
        var sent = await quiet.ChatServiceFor(alice).SendAsync(chatId, "the secret", Guid.NewGuid());
        var device = service.Subscribe(await quiet.PublicKeyAsync());
        Assert.True((await quiet.ServiceFor<PushDevices>(alice).AddAsync(new BrowserSubscription(device.Endpoint, device.P256dh, device.Auth, ""))).Succeeded);

        await quiet.Queue.EnqueueAsync(sent.Message!.Id, chatId, [alice.Id], new PushContent("quiet-bob", "quiet-bob", "the secret", "m"));

        var json = (await ReceivedAsync(service, 1))[0].Json;
        Assert.Equal(["title", "tag", "url"], json.EnumerateObject().Where(p => p.Value.ValueKind != System.Text.Json.JsonValueKind.Null).Select(p => p.Name));
        Assert.Equal("New message", json.GetProperty("title").GetString());
        Assert.DoesNotContain("quiet-bob", json.GetRawText());
    }

    /// <summary>bob writes to alice in a direct chat: alice, bob, the chat and the message.</summary>
    private async Task<(ApplicationUser Alice, ApplicationUser Bob, int ChatId, long MessageId)> DirectMessageAsync(string prefix, string text)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(bob).OpenDirectChatAsync(alice.UserName!)).ChatId;
        var sent = await app.ChatServiceFor(bob).SendAsync(chatId, text, Guid.NewGuid());
        return (alice, bob, chatId, sent.Message!.Id);
    }

    private async Task<FakeSubscription> SubscribeAsync(FakePushService service, ApplicationUser user)
    {
        var subscription = service.Subscribe(await app.PublicKeyAsync());
        var added = await app.ServiceFor<PushDevices>(user).AddAsync(new BrowserSubscription(subscription.Endpoint, subscription.P256dh, subscription.Auth, "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"));
        Assert.True(added.Succeeded, added.Error);
        return subscription;
    }

    private static Task<IReadOnlyList<ReceivedPush>> ReceivedAsync(FakePushService service, int count) =>
        Eventually.GetAsync(() => Task.FromResult(service.Received), received => received.Count >= count || service.Failures.Count > 0,
            because: $"{count} push(es) at the push service");
}
