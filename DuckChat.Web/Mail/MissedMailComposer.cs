using System.Text;
using System.Text.Encodings.Web;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Mail;

/// <summary>
/// Writes and sends a missed-messages mail when its turn comes: what is still missed of what arrived in its span
/// (<see cref="MissedMessages"/>, so only chats the person is in at that moment, and nothing they read meanwhile),
/// the first few with sender, chat and excerpt and a link to each, or only their number, and an unsubscribe link.
/// Nothing is sent when nothing is left, or the person turned these mails off meanwhile or was locked.
/// </summary>
public sealed class MissedMailComposer(
    IDbContextFactory<ChatDbContext> factory,
    MessageFormatter formatter,
    MissedMailSetting setting,
    SmtpMailer mailer,
    IOptions<MissedMailOptions> options,
    IOptions<SiteOptions> site,
    TimeProvider time)
{
    public async Task SendAsync(QueuedMail mail, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var person = await db.Users
            .Where(u => u.Id == mail.Recipient && u.Email != null && !u.MissedMailOff && u.Notify != NotifyLevel.Nothing)
            .Select(u => new { u.Email, u.MissedMailLinkVersion, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        // A locked account is one an admin shut: it gets nothing (SQLite cannot compare LockoutEnd in the query).
        if (person is null || person.LockoutEnd > time.GetUtcNow())
        {
            return;
        }

        var (from, until) = (mail.AboutFrom, mail.AboutUntil ?? mail.QueuedAt);
        var missed = MissedMessages.Unread(db)
            .Where(r => r.Member.UserId == mail.Recipient && r.Message.SentAt <= until && (from == null || r.Message.SentAt > from));
        var total = await missed.CountAsync(cancellationToken);
        if (total == 0)
        {
            return;
        }

        var items = o.Content == MissedMailContent.CountOnly ? [] : await missed
            .OrderBy(r => r.Message.SentAt).ThenBy(r => r.Message.Id).Take(o.MaxItems)
            .Select(r => new Item(r.Chat.Id, r.Message.Seq, r.Chat.Kind, r.Chat.Name, r.Message.Sender != null ? r.Message.Sender.UserName : null, r.Message.Body))
            .ToListAsync(cancellationToken);
        var subject = total == 1 ? "1 unread message on DuckChat" : $"{total} unread messages on DuckChat";
        var html = new StringBuilder();
        Write(html, items, total);
        html.Append("<p style=\"font-size:small;color:#666\">You get this mail because you were away. ")
            .Append($"<a href=\"{Encode(setting.CreateUnsubscribeLink(mail.Recipient, person.MissedMailLinkVersion))}\">Stop these mails</a>, ")
            .Append($"or turn them on again on <a href=\"{Encode(setting.AccountPageLink)}\">your account page</a>.</p>");
        await mailer.SendAsync(person.Email!, subject, html.ToString(), cancellationToken);
    }

    private void Write(StringBuilder html, List<Item> items, int total)
    {
        var home = site.Value.PublicBaseUri!.ToString().TrimEnd('/'); // set whenever mail is: checked at start-up
        if (items.Count == 0)
        {
            html.Append($"<p>You have {total} unread direct messages and mentions.</p><p><a href=\"{Encode(home + "/")}\">Open DuckChat</a></p>");
            return;
        }

        html.Append("<p>While you were away:</p><ul>");
        foreach (var item in items)
        {
            var where = item.Kind == ChatKind.Direct ? "a direct message" : item.GroupName ?? "Group";
            html.Append($"<li><strong>{Encode(item.Sender ?? MessageView.DeletedUserName)}</strong> in <strong>{Encode(where)}</strong>: ")
                .Append($"{Encode(formatter.Excerpt(item.Body, options.Value.ExcerptLength))} ")
                .Append($"<a href=\"{Encode($"{home}/chats/{item.ChatId}?at={item.Seq}")}\">Open</a></li>");
        }

        html.Append("</ul>");
        if (total > items.Count)
        {
            html.Append($"<p>and {total - items.Count} more. <a href=\"{Encode(home + "/")}\">Open DuckChat</a></p>");
        }
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private sealed record Item(int ChatId, long Seq, ChatKind Kind, string? GroupName, string? Sender, string Body);
}
