using System.Collections.Concurrent;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Typing;
using DuckChat.Web.Messaging;
using DuckChat.Web.Presence;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Presence;

/// <summary>Who may see presence and send typing signals: checked on the server, as every chat operation is.</summary>
public sealed class PresenceAccessTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task SomeoneWhoSharesNoChat_FollowsNobody_AndSeesOffline_WhileAMemberSeesOnline()
    {
        var alice = await app.CreatePersonAsync("see-alice");
        var bob = await app.CreatePersonAsync("see-bob");
        var carol = await app.CreatePersonAsync("see-carol");
        var direct = (await app.ChatServiceFor(alice).OpenDirectChatAsync("see-bob")).ChatId;
        app.Services.GetRequiredService<PresenceTracker>().Open(bob.Id, "bobs-tab", appearOffline: false);

        var alicesView = app.ServiceFor<PresenceView>(alice);
        var alicesPartners = await alicesView.FollowPartnersAsync(this, [direct], () => Task.CompletedTask);
        var carolsView = app.ServiceFor<PresenceView>(carol);
        var carolsPartners = await carolsView.FollowPartnersAsync(this, [direct], () => Task.CompletedTask);
        await carolsView.FollowMembersAsync(carolsView, direct, () => Task.CompletedTask);

        Assert.Equal(bob.Id, alicesPartners[direct]);
        Assert.Equal(PresenceState.Online, alicesView.Of(bob.Id));
        Assert.Empty(carolsPartners);
        Assert.Equal(PresenceState.Offline, carolsView.Of(bob.Id));
        Assert.Equal(PresenceState.Online, app.Services.GetRequiredService<PresenceTracker>().StateOf(bob.Id)); // the server's own reads
    }

    [Fact]
    public async Task TypingSignals_FromANonMember_OrFasterThanThePace_AreDropped()
    {
        var alice = await app.CreatePersonAsync("type-alice");
        await app.CreatePersonAsync("type-bob");
        var carol = await app.CreatePersonAsync("type-carol");
        var direct = (await app.ChatServiceFor(alice).OpenDirectChatAsync("type-bob")).ChatId;
        var heard = new ConcurrentQueue<TypingStarted>();
        var bus = app.Services.GetRequiredService<InProcessMessageBus>();
        using var subscription = bus.Subscribe(Topics.Chat(direct), e =>
        {
            if (e is TypingStarted typing)
            {
                heard.Enqueue(typing);
            }

            return Task.CompletedTask;
        });

        await app.ServiceFor<TypingService>(carol).SignalAsync(direct);
        await app.ServiceFor<TypingService>(alice).SignalAsync(direct);
        await app.ServiceFor<TypingService>(alice).SignalAsync(direct); // within TypingSignalEvery of the last
        await bus.DeliveredAsync(TestContext.Current.CancellationToken);

        var only = Assert.Single(heard);
        Assert.Equal((alice.Id, "type-alice", direct), (only.UserId, only.UserName, only.ChatId));
    }
}
