using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Mentions;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Chats;

public sealed class MentionTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    [Fact]
    public async Task Mention_OfAMember_IsStoredByIdAndShown_OfSomeoneOutside_TellsThemNothing_AndTheSenderIsTold()
    {
        var (alice, bob, carol, groupId) = await GroupAsync("mem");
        var dave = await app.CreatePersonAsync("mem-dave");
        var bus = new RecordingBus();

        var sent = await app.ChatServiceFor(alice, bus).SendAsync(groupId, "hi @mem-bob and @mem-dave, not `@mem-carol`", Guid.NewGuid());

        Assert.Equal(SendOutcome.Sent, sent.Outcome);
        Assert.Equal([dave.Id], sent.NotInChat!.Select(p => p.Id));
        Assert.Equal([(bob.Id, MentionKind.Person)], await MentionRowsAsync(sent.Message!.Id));
        Assert.Equal([bob.Id], sent.Message.Mentions.Select(m => m.UserId));
        var told = bus.Published.Where(p => p.Event is MessagePosted).ToList();
        Assert.True(told.Single(p => p.Topic == Topics.User(bob.Id)).Event is MessagePosted { MentionsYou: true });
        Assert.True(told.Single(p => p.Topic == Topics.User(carol.Id)).Event is MessagePosted { MentionsYou: false });
        Assert.DoesNotContain(told, p => p.Topic == Topics.User(dave.Id));

        var shown = (await app.ChatServiceFor(carol).GetHistoryAsync(groupId)).Single(m => m.Id == sent.Message.Id);
        Assert.Equal(sent.Message.Mentions, shown.Mentions);
        var html = Formatter.Html(shown.Body, shown.Mentions).Value;
        Assert.Contains($"<span class=\"mention\" data-user=\"{bob.Id}\">@mem-bob</span>", html);
        Assert.DoesNotContain("data-user", html.Replace($"data-user=\"{bob.Id}\"", ""));
    }

    [Fact]
    public async Task All_TellsEveryOtherMemberOfAGroup_ButNobodyInADirectChat()
    {
        var (alice, bob, carol, groupId) = await GroupAsync("all");
        var direct = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;

        var inGroup = await app.ChatServiceFor(alice).SendAsync(groupId, "@all standup", Guid.NewGuid());
        var inDirect = await app.ChatServiceFor(alice).SendAsync(direct, "@all hello", Guid.NewGuid());

        Assert.Equal([(bob.Id, MentionKind.All), (carol.Id, MentionKind.All)], (await MentionRowsAsync(inGroup.Message!.Id)).OrderBy(r => r.Item1 == bob.Id ? 0 : 1));
        Assert.Equal([new Mention(null, Mention.All, MentionKind.All)], inGroup.Message.Mentions);
        Assert.Contains("mention-all", Formatter.Html(inGroup.Message.Body, inGroup.Message.Mentions).Value);
        Assert.Empty(await MentionRowsAsync(inDirect.Message!.Id));
        Assert.DoesNotContain("mention", Formatter.Html(inDirect.Message.Body, inDirect.Message.Mentions).Value);
    }

    [Fact]
    public async Task Here_TellsTheMembersOnlineNow_AndNotThoseAway()
    {
        var (alice, bob, carol, groupId) = await GroupAsync("her");
        var presence = app.Services.GetRequiredService<DuckChat.Web.Presence.PresenceTracker>();
        presence.Open(bob.Id, "her-tab", appearOffline: false);
        try
        {
            var sent = await app.ChatServiceFor(alice).SendAsync(groupId, "@here quick question", Guid.NewGuid());

            Assert.Equal([(bob.Id, MentionKind.Here)], await MentionRowsAsync(sent.Message!.Id));
            Assert.Equal([new Mention(null, Mention.Here, MentionKind.Here)], sent.Message.Mentions);
            Assert.False((await app.ServiceFor<ReadPositions>(carol).GetStatesAsync(groupId))[groupId].MentionUnread);
        }
        finally
        {
            presence.Close(bob.Id, "her-tab");
        }
    }

    [Fact]
    public async Task MentionAll_IsRateLimited_ByItsOwnBucket()
    {
        await using var limited = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Chat:MentionAllBurst"] = "2" });
        var alice = await limited.CreatePersonAsync("rat-alice");
        var bob = await limited.CreatePersonAsync("rat-bob");
        var groupId = (await limited.ServiceFor<GroupService>(alice).CreateAsync("rat team", [bob.Id])).ChatId;
        var outcomes = new List<SendOutcome>();
        foreach (var text in new[] { "@here round 1", "@all round 2", "@here round 3" })
        {
            outcomes.Add((await limited.ChatServiceFor(alice).SendAsync(groupId, text, Guid.NewGuid())).Outcome);
        }

        Assert.Equal([SendOutcome.Sent, SendOutcome.Sent, SendOutcome.RateLimited], outcomes);
        Assert.Equal(SendOutcome.Sent, (await limited.ChatServiceFor(alice).SendAsync(groupId, "@rat-bob still goes", Guid.NewGuid())).Outcome);
    }

    [Fact]
    public async Task MentionAll_IsPaidOnlyBySendsThatSaveACall()
    {
        // Arrange: one call to everyone left, a group of Alice's, a group she is not in, and a direct chat
        await using var limited = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Chat:MentionAllBurst"] = "1" });
        var alice = await limited.CreatePersonAsync("paid-alice");
        var bob = await limited.CreatePersonAsync("paid-bob");
        var carol = await limited.CreatePersonAsync("paid-carol");
        var groupId = (await limited.ServiceFor<GroupService>(alice).CreateAsync("paid team", [bob.Id])).ChatId;
        var notMineId = (await limited.ServiceFor<GroupService>(carol).CreateAsync("paid others", [bob.Id])).ChatId;
        var directId = (await limited.ChatServiceFor(alice).OpenDirectChatAsync("paid-bob")).ChatId;
        var chats = limited.ChatServiceFor(alice);
        var call = Guid.NewGuid();

        // Act
        var refused = await chats.SendAsync(notMineId, "@all not mine", Guid.NewGuid());
        var direct = await chats.SendAsync(directId, "@all in a direct chat", Guid.NewGuid());
        var first = await chats.SendAsync(groupId, "@all the call", call);
        var retried = await chats.SendAsync(groupId, "@all the call", call);
        var second = await chats.SendAsync(groupId, "@here another call", Guid.NewGuid());

        // Assert: only the saved call in the group was paid for, and its retry answers with it
        Assert.Equal(SendOutcome.NotFound, refused.Outcome);
        Assert.Equal(SendOutcome.Sent, direct.Outcome);
        Assert.Equal(SendOutcome.Sent, first.Outcome);
        Assert.Equal((SendOutcome.Sent, first.Message!.Id), (retried.Outcome, retried.Message!.Id));
        Assert.Equal(SendOutcome.RateLimited, second.Outcome);
    }

    [Fact]
    public async Task Mention_StaysWithTheAccount_WhenItIsDeleted_AndANewAccountTakesTheName()
    {
        var (alice, bob, _, groupId) = await GroupAsync("del");
        var sent = await app.ChatServiceFor(alice).SendAsync(groupId, "ping @del-bob", Guid.NewGuid());
        var admin = await app.CreateAdminAsync("del-admin");
        Assert.True((await app.ServiceFor<UserAdministration>(admin).DeleteAsync(bob.Id, "test")).Succeeded);
        var newBob = await app.CreatePersonAsync("del-bob");
        await app.ServiceFor<GroupService>(alice).AddMembersAsync(groupId, [newBob.Id]);

        Assert.Equal([(bob.Id, MentionKind.Person)], await MentionRowsAsync(sent.Message!.Id));
        var shown = (await app.ChatServiceFor(newBob).GetHistoryAsync(groupId)).Single(m => m.Id == sent.Message.Id);
        Assert.Empty(shown.Mentions);
        Assert.DoesNotContain("mention", Formatter.Html(shown.Body, shown.Mentions).Value);
        Assert.False((await app.ServiceFor<ReadPositions>(newBob).GetStatesAsync(groupId))[groupId].MentionUnread);
    }

    [Fact]
    public async Task Edit_MovesTheMention_AndTellsWhoIsMentionedNow_DeleteEndsIt()
    {
        var (alice, bob, carol, groupId) = await GroupAsync("edi");
        var sent = await app.ChatServiceFor(alice).SendAsync(groupId, "ask @edi-bob", Guid.NewGuid());
        Assert.True((await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(groupId))[groupId].MentionUnread);
        var bus = new RecordingBus();

        Assert.True((await app.ServiceFor<MessageActions>(alice, bus).EditAsync(groupId, sent.Message!.Id, "ask @edi-carol")).Succeeded);

        Assert.Equal([(carol.Id, MentionKind.Person)], await MentionRowsAsync(sent.Message.Id));
        Assert.True(bus.Published.Single(p => p.Topic == Topics.User(carol.Id)).Event is MessageChanged { MentionsYou: true });
        Assert.True(bus.Published.Single(p => p.Topic == Topics.User(bob.Id)).Event is MessageChanged { MentionsYou: false });
        Assert.False((await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(groupId))[groupId].MentionUnread);
        Assert.True((await app.ServiceFor<ReadPositions>(carol).GetStatesAsync(groupId))[groupId].MentionUnread);

        Assert.True((await app.ServiceFor<MessageActions>(alice, bus).DeleteAsync(groupId, sent.Message.Id)).Succeeded);
        Assert.False((await app.ServiceFor<ReadPositions>(carol).GetStatesAsync(groupId))[groupId].MentionUnread);
    }

    [Fact]
    public async Task MentionBadge_IsTheNewestMentionAboveTheReadPosition()
    {
        var (alice, bob, _, groupId) = await GroupAsync("bad");
        var first = await app.ChatServiceFor(alice).SendAsync(groupId, "@bad-bob one", Guid.NewGuid());
        await app.ChatServiceFor(alice).SendAsync(groupId, "no mention", Guid.NewGuid());
        var reads = app.ServiceFor<ReadPositions>(bob);
        Assert.Equal(first.Message!.Seq, (await reads.GetStatesAsync(groupId))[groupId].LastMentionSeq);

        await reads.AdvanceAsync(groupId, first.Message.Seq);
        await Eventually.TrueAsync(async () => !(await reads.GetStatesAsync(groupId))[groupId].MentionUnread);
    }

    private MessageFormatter Formatter => app.Services.GetRequiredService<MessageFormatter>();

    private async Task<List<(string, MentionKind)>> MentionRowsAsync(long messageId)
    {
        await using var db = await app.CreateDbContextAsync();
        return (await db.MessageMentions.Where(m => m.MessageId == messageId).Select(m => new { m.UserId, m.Kind }).ToListAsync())
            .Select(m => (m.UserId, m.Kind)).ToList();
    }

    private async Task<(ApplicationUser Alice, ApplicationUser Bob, ApplicationUser Carol, int GroupId)> GroupAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var carol = await app.CreatePersonAsync($"{prefix}-carol");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync($"{prefix} team", [bob.Id, carol.Id]);
        return (alice, bob, carol, created.ChatId);
    }
}
