using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Components;
using DuckChat.Web.Data;
using DuckChat.Web.Search;

namespace DuckChat.Tests.Search;

public sealed class MessageSearchTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    [Theory]
    [InlineData("see http://internal.example/wiki", "ttp://inter", "ttp://inter")]
    [InlineData("restart service-42 now", "rvice-42", "rvice-42")]
    [InlineData("明天的会议", "会议", "会议")]
    [InlineData("明天的会议很长", "的会议", "的会议")]
    [InlineData("Crème Brûlée recipe", "creme brulee", "CrèmeBrûlée")]
    [InlineData("CAFÉ au lait", "café", "CAFÉ")]
    [InlineData("مرحبا بالعالم", "بالعالم", "بالعالم")]
    [InlineData("שלום עולם", "עולם", "עולם")]
    [InlineData("ship it 🦆🚀 today", "\"it 🦆🚀\"", "it 🦆🚀")]
    [InlineData("ship it 🦆🚀 today", "🦆🚀", "🦆🚀")]
    [InlineData("family 👨‍👩‍👧 photo", "👨‍👩‍👧", "👨‍👩‍👧")]
    [InlineData("pass\u200Bword reset", "pass\u200Bword", "pass\u200Bword")]
    [InlineData("password reset", "pass\u200Bword", "password")]
    [InlineData("pass\u200Bword reset", "password", "pass\u200Bword")]
    public async Task Substring_FindsTheMessage_InAnyScript_AndMarksWhatMatched(string body, string typed, string marked)
    {
        var (alice, _, chatId) = await DirectAsync();
        await SendAsync(alice, chatId, "unrelated chatter");
        var sent = await SendAsync(alice, chatId, body);

        var results = await SearchAsync(alice, typed);

        Assert.Equal(SearchOutcome.Found, results.Outcome);
        var hit = Assert.Single(results.Hits);
        Assert.Equal((sent.Id, sent.Seq, chatId), (hit.MessageId, hit.Seq, hit.ChatId));
        Assert.Equal(body, hit.Text);
        Assert.Equal(marked, string.Concat(hit.Matches.Select(m => hit.Text.Substring(m.Start, m.Length))));
    }

    [Fact]
    public async Task Words_AllMustMatch_InAnyOrder_PhrasesExactly_AndMinusExcludes()
    {
        var (alice, _, chatId) = await DirectAsync();
        var both = await SendAsync(alice, chatId, "the deploy of billing went green");
        var reversed = await SendAsync(alice, chatId, "billing: green deploy, flaky");
        await SendAsync(alice, chatId, "deploy only");

        Assert.Equal([reversed.Id, both.Id], Ids(await SearchAsync(alice, "deploy billing")));
        Assert.Equal([both.Id], Ids(await SearchAsync(alice, "\"went green\"")));
        Assert.Empty(Ids(await SearchAsync(alice, "\"green went\"")));
        Assert.Equal([both.Id], Ids(await SearchAsync(alice, "deploy billing -flaky")));
        Assert.Equal([both.Id], Ids(await SearchAsync(alice, "deploy billing -\"green deploy\"")));
    }

    [Fact]
    public async Task LinkWrittenAsMarkdown_IsFoundByItsAddress()
    {
        var (alice, _, chatId) = await DirectAsync();
        var sent = await SendAsync(alice, chatId, "read [the docs](https://wiki.internal.example/runbook)");

        var hit = Assert.Single((await SearchAsync(alice, "internal.example/run")).Hits);

        Assert.Equal(sent.Id, hit.MessageId);
        Assert.Equal("read the docs", hit.Text);
    }

    [Fact]
    public async Task NonMember_NeverSeesAChatsMessages()
    {
        var (alice, bob, chatId) = await DirectAsync();
        var stranger = await app.CreatePersonAsync(Name("stranger"));
        await SendAsync(alice, chatId, "secret quokka plans");

        Assert.Single((await SearchAsync(bob, "quokka")).Hits);
        Assert.Empty((await SearchAsync(stranger, "quokka")).Hits);
        Assert.Equal(SearchOutcome.Found, (await SearchAsync(stranger, "quokka")).Outcome);
    }

    [Fact]
    public async Task MemberWhoLeft_StopsSeeingTheGroupAtOnce_AndOneWhoJoinedLater_SeesItsWholeHistory()
    {
        var alice = await app.CreatePersonAsync(Name("alice"));
        var bob = await app.CreatePersonAsync(Name("bob"));
        var carol = await app.CreatePersonAsync(Name("carol"));
        var groupId = (await app.ServiceFor<GroupService>(alice).CreateAsync("Leavers", [bob.Id])).ChatId;
        var early = await SendAsync(alice, groupId, "wombat before carol joined");
        Assert.Single((await SearchAsync(bob, "wombat")).Hits);

        Assert.True((await app.ServiceFor<GroupService>(bob).LeaveAsync(groupId)).Succeeded);
        Assert.True((await app.ServiceFor<GroupService>(alice).AddMembersAsync(groupId, [carol.Id])).Succeeded);

        Assert.Empty((await SearchAsync(bob, "wombat")).Hits);
        Assert.Equal(early.Id, Assert.Single((await SearchAsync(carol, "wombat")).Hits).MessageId);
    }

    [Fact]
    public async Task DeletedAndAdminRemovedMessages_AreNeverFound_AndAnEditedOne_OnlyByItsNewText()
    {
        var admin = await app.CreateAdminAsync(Name("admin"));
        var (alice, bob, chatId) = await DirectAsync();
        var deleted = await SendAsync(alice, chatId, "platypus to delete");
        var removed = await SendAsync(alice, chatId, "platypus to remove");
        var edited = await SendAsync(alice, chatId, "platypus draft");
        Assert.Equal(3, (await SearchAsync(bob, "platypus")).Hits.Count);

        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(chatId, deleted.Id)).Succeeded);
        Assert.True((await app.ServiceFor<ChatAdministration>(admin).RemoveMessageAsync(removed.Id, "abuse")).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(alice).EditAsync(chatId, edited.Id, "echidna final")).Succeeded);

        Assert.Empty((await SearchAsync(bob, "platypus")).Hits);
        Assert.Empty((await SearchAsync(bob, "draft")).Hits);
        var hit = Assert.Single((await SearchAsync(bob, "echidna")).Hits);
        Assert.Equal((edited.Id, "echidna final"), (hit.MessageId, hit.Text));
    }

    [Fact]
    public async Task Pages_AreNewestFirst_WithoutGapsOrRepeats_AndDoNotDependOnOtherChats()
    {
        var (alice, _, chatId) = await DirectAsync();
        var (carol, _, othersChat) = await DirectAsync();
        var mine = new List<long>();
        for (var i = 0; i < 45; i++)
        {
            mine.Add((await SendAsync(alice, chatId, $"narwhal note {i}")).Id);
            await SendAsync(carol, othersChat, $"narwhal elsewhere {i}");
            await SendAsync(carol, othersChat, $"narwhal elsewhere again {i}");
        }

        var pages = new List<SearchResults> { await SearchAsync(alice, "narwhal") };
        while (pages[^1].Next is { } next)
        {
            pages.Add(await SearchAsync(alice, "narwhal", next));
        }

        Assert.Equal([20, 20, 5], pages.Select(p => p.Hits.Count));
        Assert.Equal(Enumerable.Reverse(mine), pages.SelectMany(p => p.Hits).Select(h => h.MessageId));
        Assert.All(pages.SelectMany(p => p.Hits), hit => Assert.Equal(chatId, hit.ChatId));
    }

    [Fact]
    public async Task FromAndIn_NarrowToASenderAndAChat_ByGroupNameOrTheOtherPersonsName()
    {
        var (alice, bob, directId) = await DirectAsync();
        var groupId = (await app.ServiceFor<GroupService>(alice).CreateAsync($"Team {bob.UserName} Alpha", [bob.Id])).ChatId;
        var fromAlice = await SendAsync(alice, directId, "kiwi from alice");
        var fromBob = await SendAsync(bob, directId, "kiwi from bob");
        var inGroup = await SendAsync(bob, groupId, "kiwi in the group");

        Assert.Equal([fromAlice.Id], Ids(await SearchAsync(bob, $"kiwi from:{alice.UserName!.ToUpperInvariant()}")));
        Assert.Equal([inGroup.Id, fromBob.Id], Ids(await SearchAsync(alice, $"from:@{bob.UserName} kiwi")));
        Assert.Equal([inGroup.Id], Ids(await SearchAsync(alice, $"kiwi in:\"team {bob.UserName} alpha\"")));
        Assert.Equal([fromBob.Id, fromAlice.Id], Ids(await SearchAsync(alice, $"kiwi in:{bob.UserName}")));
        Assert.Equal([fromBob.Id, fromAlice.Id], Ids(await SearchAsync(bob, $"kiwi in:{alice.UserName}")));
        Assert.Empty(Ids(await SearchAsync(alice, "kiwi in:nowhere")));
        var hit = (await SearchAsync(alice, $"kiwi in:\"Team {bob.UserName} Alpha\"")).Hits.Single();
        Assert.Equal(($"Team {bob.UserName} Alpha", ChatKind.Group, bob.UserName), (hit.ChatName, hit.ChatKind, hit.SenderName));
    }

    [Fact]
    public async Task HasLinkHasFileAndIsMention_FindOnlyThoseMessages_WithOrWithoutWords()
    {
        var (alice, bob, chatId) = await DirectAsync();
        var link = await SendAsync(alice, chatId, "lemur at https://lemurs.example");
        var file = (await app.UploadAsync(alice, chatId, "notes.txt", "lemur notes"u8.ToArray())).File!;
        var withFile = (await app.ChatServiceFor(alice).SendAsync(chatId, "lemur attached", Guid.NewGuid(), fileIds: [file.Id])).Message!;
        var mention = await SendAsync(alice, chatId, $"lemur ping @{bob.UserName}");
        await SendAsync(alice, chatId, "lemur plain, ftp://not-a-web-link");

        Assert.Equal([link.Id], Ids(await SearchAsync(bob, "lemur has:link")));
        Assert.Equal([link.Id], Ids(await SearchAsync(bob, $"has:link in:{alice.UserName}")));
        Assert.Equal([withFile.Id], Ids(await SearchAsync(bob, "lemur has:file")));
        Assert.Equal([mention.Id], Ids(await SearchAsync(bob, "lemur is:mention")));
        Assert.Empty(Ids(await SearchAsync(alice, "lemur is:mention")));
    }

    [Fact]
    public async Task BeforeAndAfter_AreDaysInThePersonsTimeZone()
    {
        var (alice, _, chatId) = await DirectAsync();
        var sent = await SendAsync(alice, chatId, "tapir on a day");
        var east = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"); // UTC+14
        var west = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Pago_Pago"); // UTC-11: always a day or two behind
        var eastDay = LocalTime.Day(sent.SentAt, east);
        var westDay = LocalTime.Day(sent.SentAt, west);
        Assert.True(eastDay > westDay);

        Assert.Equal([sent.Id], Ids(await SearchAsync(alice, $"tapir after:{westDay.AddDays(-1):yyyy-MM-dd}", zone: west)));
        Assert.Empty(Ids(await SearchAsync(alice, $"tapir after:{westDay:yyyy-MM-dd}", zone: west)));
        Assert.Equal([sent.Id], Ids(await SearchAsync(alice, $"tapir before:{eastDay:yyyy-MM-dd}", zone: west)));
        Assert.Empty(Ids(await SearchAsync(alice, $"tapir before:{eastDay:yyyy-MM-dd}", zone: east)));
        Assert.Equal([sent.Id], Ids(await SearchAsync(alice, $"tapir before:{eastDay.AddDays(1):yyyy-MM-dd} after:{eastDay.AddDays(-1):yyyy-MM-dd}", zone: east)));
    }

    [Fact]
    public async Task ShortWord_SearchesRecentMessages_AndSaysSo_ButWithALongWordSearchesEverything()
    {
        var (alice, _, chatId) = await DirectAsync();
        var sent = await SendAsync(alice, chatId, "go ox gopher");

        var shortOnly = await SearchAsync(alice, "ox");
        var withLong = await SearchAsync(alice, "OX gopher");

        Assert.Equal((SearchOutcome.Found, true), (shortOnly.Outcome, shortOnly.RecentOnly));
        Assert.Equal(sent.Id, Assert.Single(shortOnly.Hits).MessageId);
        Assert.Equal((sent.Id, false), (Assert.Single(withLong.Hits).MessageId, withLong.RecentOnly));
        Assert.Equal(sent.Id, Assert.Single((await SearchAsync(alice, "ox \"go ox\"")).Hits).MessageId);
    }

    [Fact]
    public async Task TooLongAndEmptyQueries_AreRefusedBeforeTheDatabase()
    {
        var (alice, _, _) = await DirectAsync();

        Assert.Equal(SearchOutcome.TooLong, (await SearchAsync(alice, new string('a', 201))).Outcome);
        Assert.Equal(SearchOutcome.Empty, (await SearchAsync(alice, "  -only ")).Outcome);
        Assert.Equal(SearchOutcome.Found, (await SearchAsync(alice, new string('a', 200))).Outcome);
    }

    private async Task<(ApplicationUser Me, ApplicationUser Other, int ChatId)> DirectAsync()
    {
        var me = await app.CreatePersonAsync(Name("me"));
        var other = await app.CreatePersonAsync(Name("other"));
        return (me, other, (await app.ChatServiceFor(me).OpenDirectChatAsync(other.UserName!)).ChatId);
    }

    private async Task<MessageView> SendAsync(ApplicationUser user, int chatId, string body) =>
        (await app.ChatServiceFor(user).SendAsync(chatId, body, Guid.NewGuid())).Message!;

    private Task<SearchResults> SearchAsync(ApplicationUser user, string text, SearchCursor? after = null, TimeZoneInfo? zone = null) =>
        app.ServiceFor<MessageSearch>(user).SearchAsync(text, after, TestContext.Current.CancellationToken, zone);

    private static List<long> Ids(SearchResults results) => results.Hits.Select(h => h.MessageId).ToList();

    private static string Name(string role) => $"s{Guid.NewGuid():N}"[..10] + role;
}
