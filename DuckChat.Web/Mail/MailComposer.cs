using System.Text.Encodings.Web;
using DuckChat.Web.Accounts;

namespace DuckChat.Web.Mail;

/// <summary>Writes and sends what a queued mail stands for, at the moment it is sent (so links are fresh and no secret waits in the queue).</summary>
public sealed class MailComposer(AccountLookup lookup, PasswordResetLinks links, SmtpMailer mailer, MissedMailComposer missedMail)
{
    public async Task SendAsync(QueuedMail mail, CancellationToken cancellationToken)
    {
        switch (mail.Kind)
        {
            case MailKind.PasswordReset:
                // An address without an account gets nothing; one with several gets a link for each.
                foreach (var user in await lookup.FindAsync(mail.Recipient))
                {
                    var link = await links.CreateLinkAsync(user);
                    await mailer.SendAsync(user.Email!, "Reset your DuckChat password",
                        $"<p>Someone asked to reset the password of your DuckChat account {HtmlEncoder.Default.Encode(user.UserName ?? "")}.</p>" +
                        $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">Reset your password</a></p>" +
                        "<p>The link works once. If it was not you, ignore this mail: your password stays as it is.</p>",
                        cancellationToken);
                }

                break;
            case MailKind.MissedMessages:
                await missedMail.SendAsync(mail, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"No mail is written for kind {mail.Kind}.");
        }
    }
}
