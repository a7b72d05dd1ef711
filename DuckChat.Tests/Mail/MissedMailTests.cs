using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static DuckChat.Tests.Mail.MissedMailApp;

namespace DuckChat.Tests.Mail;

public sealed class MissedMailTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PastTheWindow = Window + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AwayPerson_GetsOneMailListingTheirDirectMessageAndMention_ThenNothing_UntilANewMessageAfterTheWindow()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var (alice, bob, carol) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"), await app.CreatePersonAsync("carol"));
        var direct = await app.DirectChatAsync(bob, alice);
        var group = await app.GroupAsync(carol, "Pond", alice, bob);
        var psst = await app.SendAsync(bob, direct, "psst, *lunch*?");
        await app.SendAsync(carol, group, "general chatter");
        var mention = await app.MentionAsync(carol, group, "@alice look at this", alice);

        app.Clock.Advance(PastTheWindow);
        var queued = await app.PassAsync();

        Assert.Equal(1, queued);
        var mail = Assert.Single(await app.MailsToAsync(alice));
        var links = LinksIn(mail);
        Assert.Contains(ChatLink(direct, psst.Seq), links);
        Assert.Contains(ChatLink(group, mention.Seq), links);
        Assert.Equal(2, links.Count(l => l.StartsWith($"{PublicUrl}/chats/", StringComparison.Ordinal)));
        Assert.Contains("psst, lunch?", TextOf(mail)); // plain text, without the Markdown
        Assert.DoesNotContain("general chatter", TextOf(mail));
        Assert.All(links, l => Assert.StartsWith(PublicUrl + "/", l));
        Assert.Empty(await app.MailsToAsync(bob));
        Assert.Empty(await app.MailsToAsync(carol));

        Assert.Equal(0, await app.PassAsync()); // nothing new
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await app.SendAsync(bob, direct, "still there?");
        Assert.Equal(0, await app.PassAsync()); // within the window of the last mail
        app.Clock.Advance(Window);
        Assert.Equal(1, await app.PassAsync());

        var mails = await app.MailsToAsync(alice);
        Assert.Equal(2, mails.Count);
        Assert.Equal([ChatLink(direct, again.Seq)], ChatLinksIn(mails[1]));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("psst") || line.Contains("still there") || line.Contains("look at this"));
    }

    [Fact]
    public async Task SomeoneSeenRecently_GetsNoMailYet_AndSomeoneSeenSinceTheMessage_GetsNone()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var (alice, bob, eve) = (await app.CreatePersonAsync("alice"), await app.CreatePersonAsync("bob"), await app.CreatePersonAsync("eve"));
        await app.LastSeenAsync(eve, TimeSpan.FromMinutes(1));
        await app.SendAsync(bob, await app.DirectChatAsync(bob, alice), "for alice");
        await app.SendAsync(bob, await app.DirectChatAsync(bob, eve), "for eve");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.LastSeenAsync(alice, TimeSpan.Zero); // alice came by after her message and left it unread
        var whileAround = await app.PassAsync();
        app.Clock.Advance(PastTheWindow);
        var afterwards = await app.PassAsync();

        Assert.Equal(0, whileAround);
        Assert.Equal(1, afterwards);
        Assert.Single(await app.MailsToAsync(eve));
        Assert.Empty(await app.MailsToAsync(alice));
    }

    [Fact]
    public async Task MutesNotifyLevelLocksAndDeletedMessages_AreRespected()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var (alice, bob, carol, nina) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"),
            await app.CreatePersonAsync("carol"), await app.AwayPersonAsync("nina"));
        var lara = await app.AwayPersonAsync("lara");

        var mutedDirect = await app.DirectChatAsync(bob, alice);
        var quietDirect = await app.DirectChatAsync(carol, alice);
        var mutedGroup = await app.GroupAsync(bob, "Muted pond", alice, carol);
        await app.MuteAsync(alice, mutedDirect, MuteLevel.Everything);
        await app.MuteAsync(alice, quietDirect, MuteLevel.ExceptMentions);
        await app.MuteAsync(alice, mutedGroup, MuteLevel.Everything);
        await app.SendAsync(bob, mutedDirect, "muted entirely");
        await app.MentionAsync(bob, mutedDirect, "@alice muted mention", alice);
        await app.SendAsync(carol, quietDirect, "muted except mentions");
        var kept = await app.MentionAsync(carol, quietDirect, "@alice this one counts", alice);
        await app.MentionAsync(bob, mutedGroup, "@alice group muted", alice);
        var deleted = await app.SendAsync(bob, await app.DirectChatAsync(bob, alice), "taken back");
        await app.SendAsync(bob, await app.DirectChatAsync(bob, nina), "nina wants nothing");
        await app.SetAsync(nina, u => { u.Notify = NotifyLevel.Nothing; return u; });
        await app.SendAsync(bob, await app.DirectChatAsync(bob, lara), "lara is locked");
        await app.SetAsync(lara, u => { u.LockoutEnd = DateTimeOffset.MaxValue; return u; });
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.Messages.Where(m => m.Id == deleted.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.DeletedAt, DateTime.UtcNow), TestContext.Current.CancellationToken);
        }

        app.Clock.Advance(PastTheWindow);
        await app.PassAsync();

        var mail = Assert.Single(await app.MailsToAsync(alice));
        Assert.Equal([ChatLink(quietDirect, kept.Seq)], ChatLinksIn(mail));
        Assert.Empty(await app.MailsToAsync(nina));
        Assert.Empty(await app.MailsToAsync(lara));
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task SomeoneWhoLeftAChat_IsToldNothingAboutIt()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp);
        var (alice, bob, carol) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"), await app.CreatePersonAsync("carol"));
        var secret = await app.GroupAsync(carol, "Secret plans", alice, bob);
        await app.MentionAsync(carol, secret, "@alice the launch codes", alice);
        var direct = await app.DirectChatAsync(bob, alice);
        var hello = await app.SendAsync(bob, direct, "hello");
        Assert.True((await app.ServiceFor<GroupService>(alice).LeaveAsync(secret)).Succeeded);

        app.Clock.Advance(PastTheWindow);
        await app.PassAsync();

        var mail = Assert.Single(await app.MailsToAsync(alice));
        Assert.Equal([ChatLink(direct, hello.Seq)], ChatLinksIn(mail));
        Assert.DoesNotContain("Secret plans", TextOf(mail));
        Assert.DoesNotContain("launch codes", TextOf(mail));
    }

    [Fact]
    public async Task ALongList_ShowsAFewItemsAndHowManyMore()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, ("DuckChat:MissedMail:MaxItems", "3"));
        var (alice, bob) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"));
        var direct = await app.DirectChatAsync(bob, alice);
        for (var i = 0; i < 7; i++)
        {
            await app.SendAsync(bob, direct, $"note {i}");
        }

        app.Clock.Advance(PastTheWindow);
        await app.PassAsync();

        var mail = Assert.Single(await app.MailsToAsync(alice));
        Assert.Equal([ChatLink(direct, 1), ChatLink(direct, 2), ChatLink(direct, 3)], ChatLinksIn(mail));
        Assert.Contains("4 more", TextOf(mail));
        Assert.DoesNotContain("note 3", TextOf(mail));
    }

    [Fact]
    public async Task CountOnly_SaysHowManyWithOneLinkAndNoText()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, ("DuckChat:MissedMail:Content", "CountOnly"));
        var (alice, bob, carol) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"), await app.CreatePersonAsync("carol"));
        await app.SendAsync(bob, await app.DirectChatAsync(bob, alice), "private words");
        await app.MentionAsync(carol, await app.GroupAsync(carol, "Named group", alice), "@alice more private words", alice);

        app.Clock.Advance(PastTheWindow);
        await app.PassAsync();

        var mail = Assert.Single(await app.MailsToAsync(alice));
        var links = LinksIn(mail);
        Assert.Contains(PublicUrl + "/", links);
        Assert.DoesNotContain(links, l => l.Contains("/chats/"));
        Assert.Contains(links, l => l.StartsWith(PublicUrl + MissedMailSetting.UnsubscribePagePath, StringComparison.Ordinal));
        Assert.DoesNotContain("private words", TextOf(mail));
        Assert.DoesNotContain("Named group", TextOf(mail));
        Assert.StartsWith("2 ", mail.Subject);
    }

    [Fact]
    public async Task SeveralInstancesLooking_AtOnce_MailEachPersonOnce()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, ("DuckChat:MissedMail:PeoplePerPass", "7"));
        var bob = await app.CreatePersonAsync("bob");
        var people = new List<ApplicationUser>();
        for (var i = 0; i < 20; i++)
        {
            var person = await app.AwayPersonAsync($"away{i}");
            await app.SendAsync(bob, await app.DirectChatAsync(bob, person), $"hi {i}");
            people.Add(person);
        }

        app.Clock.Advance(PastTheWindow);
        // Two more scanners over the same database, as two more instances would run, besides the app's own.
        var scanners = new[] { app.Scanner, ActivatorUtilities.CreateInstance<MissedMailScanner>(app.Services), ActivatorUtilities.CreateInstance<MissedMailScanner>(app.Services) };
        var queued = await Task.WhenAll(scanners.Select(scanner => Task.Run(async () =>
        {
            var total = 0;
            for (int got; (got = await scanner.QueueDueAsync(TestContext.Current.CancellationToken)) > 0;)
            {
                total += got;
            }

            return total;
        })));
        await app.WaitForEmptyQueueAsync();

        Assert.Equal(20, queued.Sum());
        foreach (var person in people)
        {
            Assert.Single(await app.MailsToAsync(person));
        }

        Assert.Equal(20, smtp.Messages.Count);
    }

    [Fact]
    public async Task PeoplePassedOver_ForAnOpenTab_DoNotKeepOthersFromTheirMail()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, ("DuckChat:MissedMail:PeoplePerPass", "1"));
        var bob = await app.CreatePersonAsync("bob");
        var presence = app.Services.GetRequiredService<Web.Presence.PresenceTracker>();
        var withTabs = new List<ApplicationUser>();
        for (var i = 0; i < 4; i++)
        {
            var person = await app.AwayPersonAsync($"tab{i}");
            await app.SendAsync(bob, await app.DirectChatAsync(bob, person), $"hi {i}");
            presence.Open(person.Id, "tab", appearOffline: false);
            withTabs.Add(person);
        }

        var away = await app.AwayPersonAsync("gone");
        await app.SendAsync(bob, await app.DirectChatAsync(bob, away), "are you there?");
        app.Clock.Advance(PastTheWindow);

        Assert.Equal(1, await app.PassAsync());

        Assert.Single(await app.MailsToAsync(away));
        foreach (var person in withTabs)
        {
            Assert.Empty(await app.MailsToAsync(person));
        }
    }

    [Fact]
    public async Task TheService_LooksByItselfEveryInterval()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, ("DuckChat:MissedMail:Interval", "00:01:00"));
        var (alice, bob) = (await app.AwayPersonAsync("alice"), await app.CreatePersonAsync("bob"));
        await app.SendAsync(bob, await app.DirectChatAsync(bob, alice), "are you there?");

        // The service may not be waiting on the clock yet (a fake clock's delay counts from when it starts), so the
        // minute is passed again until the mail is seen.
        await Eventually.TrueAsync(async () =>
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            return (await app.MailsToAsync(alice)).Count == 1;
        }, because: "the service's own look to mail alice");

        Assert.False(app.Scanner.ExecuteTask!.IsCompleted);
    }

    [Theory]
    [InlineData("DuckChat:MissedMail:Enabled", "false")]
    [InlineData("DuckChat:Smtp:Host", "")]
    public async Task TurnedOffOrWithoutAMailServer_TheServiceDoesNotRun(string key, string value)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = Create(smtp, (key, value));
        app.StartServer();

        var service = app.Services.GetServices<IHostedService>().OfType<MissedMailScanner>().Single();

        Assert.Same(app.Scanner, service);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }
}
