using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Chats;

public sealed class ChatServiceTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiftyConcurrentSenders_TwentyEach_GetSeq1To1000_NoGapNoRepeat()
    {
        var people = new List<ApplicationUser>();
        for (var i = 0; i < 50; i++)
        {
            people.Add(await app.CreatePersonAsync($"crowd{i:00}"));
        }

        var chatId = await CreateGroupAsync("crowd", people);

        await Task.WhenAll(people.Select(person => Task.Run(async () =>
        {
            var chats = app.ChatServiceFor(person);
            for (var n = 0; n < 20; n++)
            {
                var result = await chats.SendAsync(chatId, $"{person.UserName} #{n}", Guid.NewGuid());
                Assert.True(result.Succeeded, result.Error);
            }
        }, Ct)));

        await using var db = await app.CreateDbContextAsync();
        var seqs = await db.Messages.Where(m => m.ChatId == chatId).OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), seqs);
        Assert.Equal(1000, (await db.Chats.SingleAsync(c => c.Id == chatId, Ct)).LastSeq);
        // Each sender's own messages are in the order they sent them.
        var crowd07 = await db.Messages.Where(m => m.ChatId == chatId && m.SenderId == people[7].Id).OrderBy(m => m.Seq).Select(m => m.Body).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(0, 20).Select(n => $"crowd07 #{n}"), crowd07);
    }

    [Fact]
    public async Task RepeatedClientMessageId_ReturnsTheFirstMessage_EvenWhenConcurrent()
    {
        var (alice, bob, chatId) = await DirectChatAsync("rep");
        var chats = app.ChatServiceFor(alice);
        var draft = Guid.NewGuid();

        var first = await chats.SendAsync(chatId, "once", draft);
        var again = await chats.SendAsync(chatId, "once", draft);
        var concurrentDraft = Guid.NewGuid();
        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => app.ChatServiceFor(alice).SendAsync(chatId, "twice?", concurrentDraft)));

        Assert.Equal(first.Message!.Id, again.Message!.Id);
        Assert.Single(burst.Select(r => r.Message!.Id).Distinct());
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(2, await db.Messages.CountAsync(m => m.ChatId == chatId, Ct));
        Assert.Equal([1L, 2L], await db.Messages.Where(m => m.ChatId == chatId).OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync(Ct));
        _ = bob;
    }

    [Fact]
    public async Task RepeatedClientMessageId_InAnotherChat_NeverReturnsThatChatsMessage()
    {
        var (alice, _, chatId) = await DirectChatAsync("idx");
        var carol = await app.CreatePersonAsync("carol-idx");
        var otherChatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync(carol.UserName!)).ChatId;
        var chats = app.ChatServiceFor(alice);
        var id = Guid.NewGuid(); // the browser chooses client message ids, so one may come again in another chat

        await chats.SendAsync(chatId, "for bob", id);

        Assert.Equal(SendOutcome.Failed, (await chats.SendAsync(otherChatId, "for carol", id)).Outcome);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Messages.CountAsync(m => m.ChatId == otherChatId && m.Kind == MessageKind.Text, Ct));
    }

    [Fact]
    public async Task NonMember_IsRefusedForEveryOperation_NothingWrittenOrPublished()
    {
        var (alice, _, chatId) = await DirectChatAsync("priv");
        await app.ChatServiceFor(alice).SendAsync(chatId, "secret", Guid.NewGuid());
        var mallory = await app.CreatePersonAsync("mallory-priv");
        var bus = new RecordingBus();
        var chats = app.ChatServiceFor(mallory, bus);

        Assert.Null(await chats.GetChatAsync(chatId));
        Assert.Empty(await chats.GetHistoryAsync(chatId));
        Assert.Empty(await chats.GetHistoryAsync(chatId, 100));
        Assert.Empty(await chats.GetMessagesAfterAsync(chatId, 0));
        Assert.Null(await chats.GetChatSummaryAsync(chatId));
        Assert.DoesNotContain(await chats.ListChatsAsync(), c => c.Id == chatId);
        var send = await chats.SendAsync(chatId, "let me in", Guid.NewGuid());

        Assert.Equal(SendOutcome.NotFound, send.Outcome);
        Assert.Empty(bus.Published);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(["secret"], await db.Messages.Where(m => m.ChatId == chatId).Select(m => m.Body).ToListAsync(Ct));
        Assert.Equal(1, (await db.Chats.SingleAsync(c => c.Id == chatId, Ct)).LastSeq);
    }

    [Fact]
    public async Task ChatThatDoesNotExist_LooksLikeOneIAmNotIn()
    {
        var alice = await app.CreatePersonAsync("nobody-alice");
        var chats = app.ChatServiceFor(alice);

        Assert.Null(await chats.GetChatAsync(999_999));
        Assert.Equal(SendOutcome.NotFound, (await chats.SendAsync(999_999, "hello?", Guid.NewGuid())).Outcome);
    }

    [Fact]
    public async Task BothOpenTheDirectChatAtOnce_OneChat()
    {
        var alice = await app.CreatePersonAsync("race-alice");
        var bob = await app.CreatePersonAsync("race.bob-2");

        var opens = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? app.ChatServiceFor(alice).OpenDirectChatAsync("RACE.BOB-2")
            : app.ChatServiceFor(bob).OpenDirectChatAsync("race-alice")));

        Assert.All(opens, o => Assert.Equal(OpenDirectOutcome.Opened, o.Outcome));
        Assert.Single(opens.Select(o => o.ChatId).Distinct());
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(1, await db.Chats.CountAsync(c => c.DirectKey == Chat.DirectKeyFor(alice.Id, bob.Id), Ct));
        Assert.Equal(2, await db.ChatMembers.CountAsync(m => m.ChatId == opens[0].ChatId, Ct));
    }

    [Fact]
    public async Task SelfChat_IsRefused_AndUnknownUser_IsNotFound()
    {
        var alice = await app.CreatePersonAsync("self-alice");
        var chats = app.ChatServiceFor(alice);

        Assert.Equal(OpenDirectOutcome.Self, (await chats.OpenDirectChatAsync("Self-Alice")).Outcome);
        Assert.Equal(OpenDirectOutcome.UserNotFound, (await chats.OpenDirectChatAsync("no-such-user")).Outcome);
        await using var db = await app.CreateDbContextAsync();
        Assert.False(await db.ChatMembers.AnyAsync(m => m.UserId == alice.Id, Ct));
    }

    [Fact]
    public async Task OverLongMessage_IsRefusedWhole_AndTheLimitCountsUtf16Units()
    {
        var (alice, _, chatId) = await DirectChatAsync("long");
        var chats = app.ChatServiceFor(alice);
        var emoji = "🦆"; // two UTF-16 code units, as a textarea's maxlength counts it
        var atLimit = new string('a', 3998) + emoji;
        var overLimit = new string('a', 3999) + emoji;

        var refused = await chats.SendAsync(chatId, overLimit, Guid.NewGuid());
        var sent = await chats.SendAsync(chatId, atLimit, Guid.NewGuid());

        Assert.Equal(SendOutcome.TooLong, refused.Outcome);
        Assert.Contains("4,001", refused.Error);
        Assert.True(sent.Succeeded);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal([atLimit], await db.Messages.Where(m => m.ChatId == chatId).Select(m => m.Body).ToListAsync(Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public async Task EmptyOrWhitespaceMessage_IsNotSent(string body)
    {
        var (alice, _, chatId) = await DirectChatAsync("empty" + Guid.NewGuid().ToString("N")[..8]);

        var result = await app.ChatServiceFor(alice).SendAsync(chatId, body, Guid.NewGuid());

        Assert.Equal(SendOutcome.Empty, result.Outcome);
        await using var db = await app.CreateDbContextAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.ChatId == chatId, Ct));
    }

    [Fact]
    public async Task Send_PublishesToTheChatAndToEveryMember()
    {
        var (alice, bob, chatId) = await DirectChatAsync("pub");
        var bus = new RecordingBus();

        var result = await app.ChatServiceFor(alice, bus).SendAsync(chatId, "ding", Guid.NewGuid());

        Assert.Equal(
            new[] { Topics.Chat(chatId), Topics.User(alice.Id), Topics.User(bob.Id) }.Order(),
            bus.Published.Select(p => p.Topic).Order());
        Assert.All(bus.Published, p => Assert.Equal(result.Message, ((MessagePosted)p.Event).Message));
    }

    [Fact]
    public async Task History_PagesBackBySeq_OldestFirst()
    {
        var (alice, _, chatId) = await DirectChatAsync("hist");
        var chats = app.ChatServiceFor(alice);
        for (var i = 1; i <= 120; i++)
        {
            Assert.True((await chats.SendAsync(chatId, $"m{i}", Guid.NewGuid())).Succeeded);
        }

        var newest = await chats.GetHistoryAsync(chatId);
        var older = await chats.GetHistoryAsync(chatId, newest[0].Seq);
        var after = await chats.GetMessagesAfterAsync(chatId, 115);

        Assert.Equal(Enumerable.Range(71, 50).Select(i => (long)i), newest.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(21, 50).Select(i => (long)i), older.Select(m => m.Seq));
        Assert.Equal(["m116", "m117", "m118", "m119", "m120"], after.Select(m => m.Body));
        Assert.All(newest, m => Assert.Equal("hist-alice", m.SenderName));
    }

    [Fact]
    public async Task Search_FindsBySubstringIgnoringCase_NeverMe_TwentyAtATime()
    {
        var me = await app.CreatePersonAsync("searcher-quackz");
        for (var i = 0; i < 25; i++)
        {
            await app.CreatePersonAsync($"Quackz-{i:00}");
        }

        var chats = app.ChatServiceFor(me);
        var first = await chats.SearchUsersAsync("QUACKZ");
        var second = await chats.SearchUsersAsync("QUACKZ", first[^1].UserName);
        var none = await chats.SearchUsersAsync("zzz-nobody");

        Assert.Equal(20, first.Count);
        Assert.Equal(5, second.Count);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"Quackz-{i:00}"), first.Concat(second).Select(u => u.UserName));
        Assert.DoesNotContain(first.Concat(second), u => u.Id == me.Id);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ChatList_NewestActivityFirst_WithPreview_AndPagesByCursor()
    {
        var me = await app.CreatePersonAsync("lister");
        var chatIds = new List<int>();
        for (var i = 0; i < 35; i++)
        {
            var friend = await app.CreatePersonAsync($"friend{i:00}");
            var open = await app.ChatServiceFor(me).OpenDirectChatAsync(friend.UserName!);
            await app.ChatServiceFor(friend).SendAsync(open.ChatId, $"**hi** from {i}\nsecond line", Guid.NewGuid());
            chatIds.Add(open.ChatId);
        }

        var chats = app.ChatServiceFor(me);
        var page1 = await chats.ListChatsAsync();
        var page2 = await chats.ListChatsAsync(page1[^1].Cursor);

        Assert.Equal(30, page1.Count);
        Assert.Equal(5, page2.Count);
        Assert.Equal(Enumerable.Reverse(chatIds), page1.Concat(page2).Select(c => c.Id));
        Assert.Equal("friend34", page1[0].Name);
        Assert.Equal("friend34: hi from 34 second line", page1[0].Preview);
    }

    [Fact]
    public async Task EmptyDirectChat_IsNotListedUntilSomeoneWrites()
    {
        var (alice, bob, chatId) = await DirectChatAsync("quiet");

        Assert.DoesNotContain(await app.ChatServiceFor(bob).ListChatsAsync(), c => c.Id == chatId);
        await app.ChatServiceFor(alice).SendAsync(chatId, "psst", Guid.NewGuid());
        Assert.Contains(await app.ChatServiceFor(bob).ListChatsAsync(), c => c.Id == chatId && c.Name == "quiet-alice");
    }

    [Fact]
    public async Task AroundASeq_APageEachSide_AtTheEdgesToo_AndNothingForAMissingSeqOrANonMember()
    {
        var (bob, chatId) = await DirectChatWithMessagesAsync("around", 120);
        var mallory = await app.CreatePersonAsync("around-mallory");
        var readers = app.ChatServiceFor(bob);
        IEnumerable<long> Seqs(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => (long)i);

        var middle = await readers.GetAroundAsync(chatId, 60);
        var first = await readers.GetAroundAsync(chatId, 1);
        var last = await readers.GetAroundAsync(chatId, 120);

        // HistoryPageSize is 50: fifty before, the message, fifty after.
        Assert.Equal(Seqs(10, 110), middle!.Messages.Select(m => m.Seq));
        Assert.True(middle.HasNewer);
        Assert.Equal("m60", middle.Messages.Single(m => m.Seq == 60).Body);
        Assert.Equal(Seqs(1, 51), first!.Messages.Select(m => m.Seq));
        Assert.True(first.HasNewer);
        Assert.Equal(Seqs(70, 120), last!.Messages.Select(m => m.Seq));
        Assert.False(last.HasNewer);
        Assert.Null(await readers.GetAroundAsync(chatId, 121));
        Assert.Null(await readers.GetAroundAsync(chatId, 0));
        Assert.Null(await readers.GetAroundAsync(chatId, long.MinValue));
        Assert.Null(await readers.GetAroundAsync(999_999, 1));
        Assert.Null(await app.ChatServiceFor(mallory).GetAroundAsync(chatId, 60));
    }

    [Fact]
    public async Task NewerPage_FollowsTheSeq_SaysWhetherMoreFollow_AndIsEmptyForANonMember()
    {
        var (bob, chatId) = await DirectChatWithMessagesAsync("newer", 70);
        var mallory = await app.CreatePersonAsync("newer-mallory");

        var next = await app.ChatServiceFor(bob).GetNewerAsync(chatId, 10);
        var end = await app.ChatServiceFor(bob).GetNewerAsync(chatId, 60);
        var outsider = await app.ChatServiceFor(mallory).GetNewerAsync(chatId, 0);

        Assert.Equal(Enumerable.Range(11, 50).Select(i => (long)i), next.Messages.Select(m => m.Seq));
        Assert.True(next.HasNewer);
        Assert.Equal(Enumerable.Range(61, 10).Select(i => (long)i), end.Messages.Select(m => m.Seq));
        Assert.False(end.HasNewer);
        Assert.Empty(outsider.Messages);
        Assert.False(outsider.HasNewer);
    }

    private async Task<(ApplicationUser Alice, ApplicationUser Bob, int ChatId)> DirectChatAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var open = await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!);
        return (alice, bob, open.ChatId);
    }

    /// <summary>A direct chat in which alice wrote m1, m2, ...; returns bob, who reads it.</summary>
    private async Task<(ApplicationUser Bob, int ChatId)> DirectChatWithMessagesAsync(string prefix, int count)
    {
        var (alice, bob, chatId) = await DirectChatAsync(prefix);
        var chats = app.ChatServiceFor(alice);
        for (var i = 1; i <= count; i++)
        {
            Assert.True((await chats.SendAsync(chatId, $"m{i}", Guid.NewGuid())).Succeeded);
        }

        return (bob, chatId);
    }

    private async Task<int> CreateGroupAsync(string name, IEnumerable<ApplicationUser> members)
    {
        await using var db = await app.CreateDbContextAsync();
        var chat = new Chat
        {
            Kind = ChatKind.Group, Name = name, CreatedAt = DateTime.UtcNow,
            Members = members.Select(m => new ChatMember { UserId = m.Id, JoinedAt = DateTime.UtcNow }).ToList(),
        };
        db.Chats.Add(chat);
        await db.SaveChangesAsync(Ct);
        return chat.Id;
    }
}
