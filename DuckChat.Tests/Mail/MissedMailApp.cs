using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Mail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace DuckChat.Tests.Mail;

/// <summary>
/// The app mailing through a <see cref="FakeSmtpServer"/>, on a clock the test moves (messages are stamped by it too), with
/// its own missed-mail look put off for a day unless a test asks otherwise, so each look is the test's.
/// </summary>
public sealed partial class MissedMailApp(FakeSmtpServer smtp, IDictionary<string, string?> settings) : DuckChatAppFactory(Settings(smtp, settings))
{
    public const string PublicUrl = "https://chat.example.test";

    private readonly FakeSmtpServer _smtp = smtp;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedLogs Logs { get; } = new();

    public static MissedMailApp Create(FakeSmtpServer smtp, params (string Key, string Value)[] settings) =>
        new(smtp, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public MissedMailScanner Scanner => Services.GetRequiredService<MissedMailScanner>();

    /// <summary>One look by this instance's scanner, then every mail it queued sent.</summary>
    public async Task<int> PassAsync(MissedMailScanner? scanner = null)
    {
        var queued = await (scanner ?? Scanner).QueueDueAsync(TestContext.Current.CancellationToken);
        await WaitForEmptyQueueAsync();
        return queued;
    }

    public Task WaitForEmptyQueueAsync() => Eventually.TrueAsync(async () =>
    {
        await using var db = await CreateDbContextAsync();
        return !await db.QueuedMails.AnyAsync();
    }, because: "the mail queue to empty");

    public async Task<int> DirectChatAsync(ApplicationUser from, ApplicationUser to) =>
        (await this.ChatServiceFor(from).OpenDirectChatAsync(to.UserName!)).ChatId;

    public async Task<int> GroupAsync(ApplicationUser owner, string name, params ApplicationUser[] members)
    {
        var created = await this.ServiceFor<GroupService>(owner).CreateAsync(name, members.Select(m => m.Id).ToList());
        Assert.True(created.Succeeded, created.Error);
        return created.ChatId;
    }

    public async Task<MessageView> SendAsync(ApplicationUser sender, int chatId, string text)
    {
        var sent = await this.ChatServiceFor(sender).SendAsync(chatId, text, Guid.NewGuid());
        Assert.True(sent.Succeeded, sent.Error);
        return sent.Message!;
    }

    /// <summary>A message whose <paramref name="text"/> mentions <paramref name="user"/>, which the send path records.</summary>
    public async Task<MessageView> MentionAsync(ApplicationUser sender, int chatId, string text, ApplicationUser user)
    {
        var message = await SendAsync(sender, chatId, text);
        await using var db = await CreateDbContextAsync();
        Assert.True(await db.MessageMentions.AnyAsync(m => m.MessageId == message.Id && m.UserId == user.Id), $"the send to record a mention of {user.UserName}");
        return message;
    }

    public async Task SetAsync(ApplicationUser user, Func<ApplicationUser, ApplicationUser> change)
    {
        await using var db = await CreateDbContextAsync();
        var row = await db.Users.SingleAsync(u => u.Id == user.Id);
        change(row);
        await db.SaveChangesAsync();
    }

    /// <summary>Someone last seen an hour ago.</summary>
    public async Task<ApplicationUser> AwayPersonAsync(string userName)
    {
        var person = await this.CreatePersonAsync(userName);
        await LastSeenAsync(person, TimeSpan.FromHours(1));
        return person;
    }

    public Task LastSeenAsync(ApplicationUser user, TimeSpan ago) =>
        SetAsync(user, u => { u.LastSeenAt = Clock.GetUtcNow().UtcDateTime - ago; return u; });

    public async Task MuteAsync(ApplicationUser user, int chatId, MuteLevel mute)
    {
        await using var db = await CreateDbContextAsync();
        await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Mute, mute));
    }

    public async Task<List<MimeMessage>> MailsToAsync(ApplicationUser user)
    {
        var mails = new List<MimeMessage>();
        foreach (var text in _smtp.Messages)
        {
            var mail = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), TestContext.Current.CancellationToken);
            if (mail.To.Mailboxes.Any(m => m.Address == user.Email))
            {
                mails.Add(mail);
            }
        }

        return mails;
    }

    public static List<string> LinksIn(MimeMessage mail) =>
        Link().Matches(mail.HtmlBody ?? "").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The mail's links into chats (not to the home page or the unsubscribe page).</summary>
    public static List<string> ChatLinksIn(MimeMessage mail) => LinksIn(mail).Where(l => l.Contains("/chats/", StringComparison.Ordinal)).ToList();

    public static string TextOf(MimeMessage mail) => WebUtility.HtmlDecode(mail.HtmlBody ?? "");

    public static string ChatLink(int chatId, long seq) => $"{PublicUrl}/chats/{chatId}?at={seq}";

    private static Dictionary<string, string?> Settings(FakeSmtpServer smtp, IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["DuckChat:PublicUrl"] = PublicUrl,
            ["DuckChat:Smtp:Host"] = "127.0.0.1",
            ["DuckChat:Smtp:Port"] = smtp.Port.ToString(),
            ["DuckChat:Smtp:From"] = "duckchat@example.test",
            ["DuckChat:Smtp:UseStartTls"] = "false",
            ["DuckChat:MissedMail:Interval"] = "1.00:00:00",
            // The clock stands still unless a test moves it, so the send budget never refills.
            ["DuckChat:Chat:SendBurst"] = "1000",
            ["DuckChat:Chat:WriteBurst"] = "1000",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Link();
}
