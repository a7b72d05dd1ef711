using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Notifications;
using DuckChat.Web.Presence;
using DuckChat.Web.Push;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Push;

/// <summary>Who a saved message pushes to: the notification rule, mutes and mentions, and nobody with a tab open.</summary>
public sealed class PushFanOutTests(PushAppFactory app) : IClassFixture<PushAppFactory>
{
    [Fact]
    public async Task SavedMessages_PushToWhomTheyNotify_WithNoTabOpen_OncePerDevice()
    {
        await using var service = await FakePushService.StartAsync();
        var alice = await app.CreatePersonAsync("fan-alice");
        var bob = await app.CreatePersonAsync("fan-bob");
        var carol = await app.CreatePersonAsync("fan-carol");
        var dave = await app.CreatePersonAsync("fan-dave");
        var devices = new Dictionary<string, FakeSubscription>();
        foreach (var person in new[] { bob, carol, dave })
        {
            devices[person.Id] = await SubscribeAsync(service, person);
        }

        var group = (await app.ServiceFor<GroupService>(alice).CreateAsync("fan team", [bob.Id, carol.Id, dave.Id])).ChatId;
        var direct = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var presence = app.Services.GetRequiredService<PresenceTracker>();
        presence.Open(dave.Id, "fan-tab", appearOffline: false);
        try
        {
            Assert.True((await app.ServiceFor<NotificationSettings>(carol).MuteAsync(group, MuteLevel.Everything)).Succeeded);
            var chats = app.ChatServiceFor(alice);
            // Nobody: a group message without a mention (bob and carol are told of direct messages and mentions only),
            // a mention of carol who muted the group entirely, and of dave who has a tab open.
            await chats.SendAsync(group, "general news", Guid.NewGuid());
            await chats.SendAsync(group, "@fan-carol @fan-dave look", Guid.NewGuid());
            // Bob: a mention in the group, and a direct message (its Markdown shown as plain text).
            var mention = (await chats.SendAsync(group, "@fan-bob please", Guid.NewGuid())).Message!;
            var direct1 = (await chats.SendAsync(direct, "**lunch**?", Guid.NewGuid())).Message!;

            var received = await Eventually.GetAsync(() => Task.FromResult(service.Received), r => r.Count >= 2 || service.Failures.Count > 0,
                because: "bob's two pushes");
            await app.WaitForEmptyPushQueueAsync();
            Assert.Empty(service.Failures);
            Assert.All(service.Received, push => Assert.Same(devices[bob.Id], push.Subscription));
            Assert.Equal([$"message-{mention.Id}", $"message-{direct1.Id}"], service.Received.Select(p => p.Json.GetProperty("tag").GetString()).Order());
            var directPush = service.Received.Single(p => p.Json.GetProperty("tag").GetString() == $"message-{direct1.Id}");
            Assert.Equal("fan-alice", directPush.Json.GetProperty("title").GetString());
            Assert.Equal("lunch?", directPush.Json.GetProperty("body").GetString());
            Assert.Equal("fan-alice · fan team", received.Single(p => p.Json.GetProperty("tag").GetString() == $"message-{mention.Id}").Json.GetProperty("title").GetString());
        }
        finally
        {
            presence.Close(dave.Id, "fan-tab");
        }
    }

    private async Task<FakeSubscription> SubscribeAsync(FakePushService service, ApplicationUser user)
    {
        var subscription = service.Subscribe(await app.PublicKeyAsync());
        var added = await app.ServiceFor<PushDevices>(user).AddAsync(new BrowserSubscription(subscription.Endpoint, subscription.P256dh, subscription.Auth, "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"));
        Assert.True(added.Succeeded, added.Error);
        return subscription;
    }
}
