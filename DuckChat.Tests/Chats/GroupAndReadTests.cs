using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Chats;

public sealed class GroupAndReadTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateGroup_MakesTheCreatorOwner_AndWritesASystemLine()
    {
        var (alice, bob, carol, chatId) = await GroupAsync("mk");

        await using var db = await app.CreateDbContextAsync();
        var members = await db.ChatMembers.Where(m => m.ChatId == chatId).ToListAsync(Ct);
        Assert.Equal(ChatRole.Owner, members.Single(m => m.UserId == alice.Id).Role);
        Assert.All(members.Where(m => m.UserId != alice.Id), m => Assert.Equal(ChatRole.Member, m.Role));
        Assert.Equal(new[] { alice.Id, bob.Id, carol.Id }.Order(), members.Select(m => m.UserId).Order());
        var history = await app.ChatServiceFor(carol).GetHistoryAsync(chatId);
        Assert.Equal("mk-alice created the group “mk group”", Assert.Single(history).DisplayText);
        Assert.Contains(await app.ChatServiceFor(bob).ListChatsAsync(), c => c.Id == chatId && c.Name == "mk group");
    }

    [Fact]
    public async Task OnlyTheOwner_RenamesAddsAndRemoves_OutsidersSeeNothing()
    {
        var (alice, bob, carol, chatId) = await GroupAsync("own");
        var dave = await app.CreatePersonAsync("own-dave");
        var mallory = await app.CreatePersonAsync("own-mallory");
        var bus = new RecordingBus();

        foreach (var notOwner in new[] { bob, mallory })
        {
            var groups = app.ServiceFor<GroupService>(notOwner, bus);
            var results = new[]
            {
                await groups.RenameAsync(chatId, "hijacked"),
                await groups.AddMembersAsync(chatId, [dave.Id]),
                await groups.RemoveMemberAsync(chatId, carol.Id),
            };
            Assert.All(results, r => Assert.False(r.Succeeded));
            Assert.All(results, r => Assert.Equal(notOwner == bob ? "Only the group's owner can do that." : ChangeResult.NotFound.Error, r.Error));
        }

        Assert.Empty(bus.Published);
        var owner = app.ServiceFor<GroupService>(alice, bus);
        Assert.True((await owner.RenameAsync(chatId, "Pond")).Succeeded);
        Assert.True((await owner.AddMembersAsync(chatId, [dave.Id])).Succeeded);
        Assert.True((await owner.RemoveMemberAsync(chatId, carol.Id)).Succeeded);

        var header = await app.ChatServiceFor(bob).GetChatAsync(chatId);
        Assert.Equal("Pond", header!.Name);
        Assert.Equal(["own-alice", "own-bob", "own-dave"], header.Members.Select(m => m.UserName).Order());
        Assert.Equal(
            ["own-alice renamed the group to “Pond”", "own-alice added own-dave", "own-alice removed own-carol"],
            (await app.ChatServiceFor(bob).GetHistoryAsync(chatId)).Skip(1).Select(m => m.DisplayText));
        Assert.Contains(bus.Published, p => p.Topic == Topics.User(carol.Id) && p.Event is MemberRemoved { UserId: var removed } && removed == carol.Id);
        Assert.Null(await app.ChatServiceFor(mallory).GetChatAsync(chatId));
    }

    [Fact]
    public async Task RemovedMember_IsRefusedOnReadAndSend()
    {
        var (alice, _, carol, chatId) = await GroupAsync("rm");
        await app.ChatServiceFor(alice).SendAsync(chatId, "before", Guid.NewGuid());
        await app.ServiceFor<GroupService>(alice).RemoveMemberAsync(chatId, carol.Id);
        var chats = app.ChatServiceFor(carol);

        Assert.Null(await chats.GetChatAsync(chatId));
        Assert.Empty(await chats.GetHistoryAsync(chatId));
        Assert.Empty(await chats.GetMessagesAfterAsync(chatId, 0));
        Assert.Equal(SendOutcome.NotFound, (await chats.SendAsync(chatId, "still here?", Guid.NewGuid())).Outcome);
        Assert.DoesNotContain(await chats.ListChatsAsync(), c => c.Id == chatId);
    }

    [Fact]
    public async Task OwnerLeaving_HandsTheGroupToTheLongestStandingMember()
    {
        var (alice, bob, carol, chatId) = await GroupAsync("leave");
        await using (var db = await app.CreateDbContextAsync())
        {
            // Carol joined before Bob.
            await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == carol.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, DateTime.UtcNow.AddDays(-1)), Ct);
        }

        Assert.True((await app.ServiceFor<GroupService>(alice).LeaveAsync(chatId)).Succeeded);
        Assert.True((await app.ServiceFor<GroupService>(bob).LeaveAsync(chatId)).Succeeded);

        var header = await app.ChatServiceFor(carol).GetChatAsync(chatId);
        Assert.True(header!.IAmOwner);
        Assert.Equal(["leave-carol"], header.Members.Select(m => m.UserName));
        Assert.Equal(
            ["leave-alice left the group; leave-carol is now the owner", "leave-bob left the group"],
            (await app.ChatServiceFor(carol).GetHistoryAsync(chatId)).Skip(1).Select(m => m.DisplayText));
        Assert.Null(await app.ChatServiceFor(alice).GetChatAsync(chatId));
    }

    [Fact]
    public async Task GroupLimits_NameLengthAndSize_AreRefusedWithAMessage()
    {
        var alice = await app.CreatePersonAsync("lim-alice");
        var groups = app.ServiceFor<GroupService>(alice);

        var blank = await groups.CreateAsync("   ", []);
        var tooLong = await groups.CreateAsync(new string('x', 65), []);

        Assert.Equal("Give the group a name.", blank.Error);
        Assert.Equal("A group name has at most 64 characters.", tooLong.Error);
    }

    [Fact]
    public async Task Unread_IsLastSeqMinusReadPosition_AcrossManyMessages()
    {
        var (alice, bob, _, chatId) = await GroupAsync("unr");
        var reads = app.ServiceFor<ReadPositions>(bob);
        for (var i = 0; i < 7; i++)
        {
            await app.ChatServiceFor(alice).SendAsync(chatId, $"n{i}", Guid.NewGuid());
        }

        Assert.Equal(8, (await reads.GetStatesAsync())[chatId].Unread); // 7 messages and the "created" line
        Assert.Equal(0, (await app.ServiceFor<ReadPositions>(alice).GetStatesAsync())[chatId].Unread); // own messages are read
        await app.ReadUpToAsync(bob, chatId, 6);
        Assert.Equal(2, (await reads.GetStatesAsync())[chatId].Unread);
        await app.ReadUpToAsync(bob, chatId, 3); // never backwards
        await app.ReadUpToAsync(bob, chatId, 99); // never past the last message
        Assert.Equal(2, (await reads.GetStatesAsync())[chatId].Unread);
        Assert.True((await reads.MarkUnreadAsync(chatId, 2)).Succeeded);
        Assert.Equal(7, (await reads.GetStatesAsync())[chatId].Unread);
        Assert.False((await app.ServiceFor<ReadPositions>(await app.CreatePersonAsync("unr-out")).MarkUnreadAsync(chatId, 1)).Succeeded);
    }

    [Fact]
    public async Task ReadingInOneCircuit_ClearsTheCountInTheUsersOtherCircuits()
    {
        var (alice, bob, _, chatId) = await GroupAsync("tabs");
        var bus = app.Services.GetRequiredService<IMessageBus>();
        using var firstTab = app.ServiceFor<UnreadState>(bob, bus);
        using var secondTab = app.ServiceFor<UnreadState>(bob, bus);
        await firstTab.StartAsync();
        await secondTab.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            await app.ChatServiceFor(alice, bus).SendAsync(chatId, $"t{i}", Guid.NewGuid());
        }

        await Eventually.TrueAsync(() => Task.FromResult(secondTab.For(chatId) == 4 && firstTab.Total == 4), because: "both tabs to count 4");
        await app.ReadUpToAsync(bob, chatId, 4, bus);

        await Eventually.TrueAsync(() => Task.FromResult(firstTab.For(chatId) == 0 && secondTab.Total == 0), because: "both tabs to clear");
    }

    [Fact]
    public async Task PersonAddedLater_CountsOnlyWhatCameAfterJoining()
    {
        var (alice, _, _, chatId) = await GroupAsync("late");
        var dave = await app.CreatePersonAsync("late-dave");
        var bus = app.Services.GetRequiredService<IMessageBus>();
        using var davesTab = app.ServiceFor<UnreadState>(dave, bus);
        await davesTab.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await app.ChatServiceFor(alice, bus).SendAsync(chatId, $"before dave {i}", Guid.NewGuid());
        }

        await app.ServiceFor<GroupService>(alice, bus).AddMembersAsync(chatId, [dave.Id]);

        await Eventually.TrueAsync(() => Task.FromResult(davesTab.For(chatId) == 1), because: "Dave to count only the line that added him");
        Assert.Equal(1, (await app.ServiceFor<ReadPositions>(dave).GetStatesAsync())[chatId].Unread);
    }

    [Fact]
    public async Task EditAndDelete_OnlyBySender_ReplacedForEveryone()
    {
        var (alice, bob, _, chatId) = await GroupAsync("edit");
        var mallory = await app.CreatePersonAsync("edit-mallory");
        var sent = (await app.ChatServiceFor(alice).SendAsync(chatId, "teh typo", Guid.NewGuid())).Message!;
        var bus = new RecordingBus();

        foreach (var other in new[] { bob, mallory })
        {
            var actions = app.ServiceFor<MessageActions>(other, bus);
            Assert.False((await actions.EditAsync(chatId, sent.Id, "pwned")).Succeeded);
            Assert.False((await actions.DeleteAsync(chatId, sent.Id)).Succeeded);
        }

        Assert.Empty(bus.Published);
        var mine = app.ServiceFor<MessageActions>(alice, bus);
        Assert.True((await mine.EditAsync(chatId, sent.Id, "the typo, fixed")).Succeeded);
        var edited = (await app.ChatServiceFor(bob).GetHistoryAsync(chatId))[^1];
        Assert.Equal("the typo, fixed", edited.Body);
        Assert.NotNull(edited.EditedAt);
        Assert.Contains(bus.Published, p => p.Topic == Topics.Chat(chatId) && p.Event is MessageChanged);

        Assert.True((await mine.DeleteAsync(chatId, sent.Id)).Succeeded);
        var deleted = (await app.ChatServiceFor(bob).GetHistoryAsync(chatId))[^1];
        Assert.True(deleted.Deleted);
        Assert.Equal("message deleted", deleted.DisplayText);
        Assert.Equal(sent.Seq, deleted.Seq);
        Assert.False((await mine.EditAsync(chatId, sent.Id, "undelete?")).Succeeded);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("", (await db.Messages.SingleAsync(m => m.Id == sent.Id, Ct)).Body);
    }

    [Fact]
    public async Task Edit_RefusesEmptyAndOverLongText()
    {
        var (alice, _, _, chatId) = await GroupAsync("edlim");
        var sent = (await app.ChatServiceFor(alice).SendAsync(chatId, "ok", Guid.NewGuid())).Message!;
        var actions = app.ServiceFor<MessageActions>(alice);

        Assert.False((await actions.EditAsync(chatId, sent.Id, "  ")).Succeeded);
        Assert.False((await actions.EditAsync(chatId, sent.Id, new string('a', 4001))).Succeeded);
        Assert.Equal("ok", (await app.ChatServiceFor(alice).GetHistoryAsync(chatId))[^1].Body);
    }

    [Fact]
    public async Task ReadPositions_AreSavedAtOnce_ThenAtMostOnceASecond_OnlyTheNewestOfABurst()
    {
        var (alice, bob, carol, chatId) = await GroupAsync("burst");
        for (var i = 0; i < 7; i++)
        {
            await app.ChatServiceFor(alice).SendAsync(chatId, $"b{i}", Guid.NewGuid());
        }

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bus = new RecordingBus();
        using var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services, clock, (IMessageBus)bus);
        await writer.StartAsync(Ct);
        var bobsTab = app.ServiceFor<ReadPositions>(bob, bus, writer);
        var carolsTab = app.ServiceFor<ReadPositions>(carol, bus, writer);
        async Task<long> SavedAsync(ApplicationUser reader) => (await app.ServiceFor<ReadPositions>(reader).GetStatesAsync(chatId))[chatId].LastReadSeq;

        await bobsTab.AdvanceAsync(chatId, 2);
        await Eventually.TrueAsync(async () => await SavedAsync(bob) == 2, because: "the first position is saved at once");
        await bobsTab.AdvanceAsync(chatId, 3);
        await bobsTab.AdvanceAsync(chatId, 5);
        await bobsTab.AdvanceAsync(chatId, 4);
        await carolsTab.AdvanceAsync(chatId, 6);
        Assert.Equal(2, await SavedAsync(bob)); // the clock has not moved: nothing more can have been written
        Assert.Equal(0, await SavedAsync(carol));
        // The writer may not be waiting on the clock yet (a fake clock's delay counts from when it starts), so the
        // second is passed again until the round is seen; one round takes everything then waiting either way.
        await Eventually.TrueAsync(async () =>
            {
                clock.Advance(ChatWriter.ReadPositionInterval);
                return await SavedAsync(bob) == 5 && await SavedAsync(carol) == 6;
            },
            because: "the newest of each reader's burst is saved, in one round, when the second is over");
        Assert.Equal([2L, 5L], bus.Published.Where(p => p.Topic == Topics.User(bob.Id)).Select(p => ((ReadPositionChanged)p.Event).LastReadSeq));

        // Marking unread wins over a position still waiting, and what waits at the end is saved then.
        await bobsTab.AdvanceAsync(chatId, 7);
        Assert.True((await bobsTab.MarkUnreadAsync(chatId, 4)).Succeeded);
        await carolsTab.AdvanceAsync(chatId, 7);
        await writer.StopAsync(Ct);
        Assert.Equal(3, await SavedAsync(bob));
        Assert.Equal(7, await SavedAsync(carol));
    }

    [Fact]
    public async Task WaitingReadPosition_IsSavedWhenTheServerStops()
    {
        await using var stopping = new DuckChatAppFactory();
        var alice = await stopping.CreatePersonAsync("stop-alice");
        var bob = await stopping.CreatePersonAsync("stop-bob");
        var chatId = (await stopping.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        for (var i = 0; i < 3; i++)
        {
            await stopping.ChatServiceFor(alice).SendAsync(chatId, $"s{i}", Guid.NewGuid());
        }

        var writer = stopping.Services.GetServices<IHostedService>().OfType<ChatWriter>().Single(); // the server stops it
        Assert.Same(stopping.Services.GetRequiredService<ChatWriter>(), writer);
        var tab = stopping.ServiceFor<ReadPositions>(bob);
        async Task<long> SavedAsync() => (await stopping.ServiceFor<ReadPositions>(bob).GetStatesAsync(chatId))[chatId].LastReadSeq;
        await tab.AdvanceAsync(chatId, 2);
        await Eventually.TrueAsync(async () => await SavedAsync() == 2, because: "the first position is saved at once");
        await tab.AdvanceAsync(chatId, 3); // waits for the second to be over

        var first = writer.StopAsync(Ct);
        await writer.StopAsync(Ct); // the app's own app.Run() stops it too, then disposes it: a second stop waits for the save

        Assert.Equal(3, await SavedAsync());
        await first;
    }

    [Fact]
    public async Task ReadPosition_OfASignedOutReader_IsNotSaved()
    {
        var (alice, bob, _, chatId) = await GroupAsync("stale");
        await app.ChatServiceFor(alice).SendAsync(chatId, "unseen", Guid.NewGuid());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.UpdateSecurityStampAsync((await users.FindByIdAsync(bob.Id))!)).Succeeded); // signed out everywhere
        }

        using (var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services))
        {
            await writer.StartAsync(Ct);
            await app.ServiceFor<ReadPositions>(bob, null, writer).AdvanceAsync(chatId, 2);
            await writer.StopAsync(Ct);
        }

        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == bob.Id).Select(m => m.LastReadSeq).SingleAsync(Ct));
    }

    [Fact]
    public async Task TheChatBeingRead_CountsNothing_InThatCircuitOnly()
    {
        var (alice, bob, _, chatId) = await GroupAsync("reading");
        var bus = app.Services.GetRequiredService<IMessageBus>();
        using var readingTab = app.ServiceFor<UnreadState>(bob, bus);
        using var otherTab = app.ServiceFor<UnreadState>(bob, bus);
        await readingTab.StartAsync();
        await otherTab.StartAsync();
        var changes = 0;
        readingTab.Changed += () => Task.FromResult(Interlocked.Increment(ref changes));

        await readingTab.ReadingAsync(chatId);
        Assert.Equal(1, changes); // the "created" line no longer counts here
        await app.ChatServiceFor(alice, bus).SendAsync(chatId, "seen at once", Guid.NewGuid());

        await Eventually.TrueAsync(() => Task.FromResult(otherTab.For(chatId) == 2), because: "the other tab counts the new message");
        Assert.Equal(0, readingTab.For(chatId));
        Assert.Equal(0, readingTab.Total);
        await readingTab.ReadingAsync(null);
        Assert.Equal(2, readingTab.Total); // nothing was saved as read: the count is the server's again
    }

    private async Task<(ApplicationUser Alice, ApplicationUser Bob, ApplicationUser Carol, int ChatId)> GroupAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var carol = await app.CreatePersonAsync($"{prefix}-carol");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync($"{prefix} group", [bob.Id, carol.Id]);
        Assert.True(created.Succeeded, created.Error);
        return (alice, bob, carol, created.ChatId);
    }
}

public sealed class EditWindowTests : IAsyncLifetime
{
    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Chat:EditWindow"] = "00:15:00",
    });

    [Fact]
    public async Task MessageOlderThanTheEditWindow_CannotBeEdited()
    {
        var alice = await _app.CreatePersonAsync("win-alice");
        await _app.CreatePersonAsync("win-bob");
        var chatId = (await _app.ChatServiceFor(alice).OpenDirectChatAsync("win-bob")).ChatId;
        var old = (await _app.ChatServiceFor(alice).SendAsync(chatId, "old", Guid.NewGuid())).Message!;
        var fresh = (await _app.ChatServiceFor(alice).SendAsync(chatId, "fresh", Guid.NewGuid())).Message!;
        await using (var db = await _app.CreateDbContextAsync())
        {
            await db.Messages.Where(m => m.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, DateTime.UtcNow.AddMinutes(-16)), TestContext.Current.CancellationToken);
        }

        var actions = _app.ServiceFor<MessageActions>(alice);

        Assert.Equal("This message is too old to edit.", (await actions.EditAsync(chatId, old.Id, "new")).Error);
        Assert.True((await actions.EditAsync(chatId, fresh.Id, "fresher")).Succeeded);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
