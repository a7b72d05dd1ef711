using DuckChat.Web.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace DuckChat.Web.Mail;

/// <summary>
/// Sends one mail through the server of DuckChat:Smtp (MailKit). The connection must be encrypted (TLS from the
/// start on port 465, STARTTLS elsewhere) unless UseStartTls is turned off on purpose: a server that merely "does
/// not offer" STARTTLS may be an attacker who stripped it to read the password and the reset links.
/// </summary>
public sealed class SmtpMailer(IOptions<SmtpOptions> options)
{
    public async Task SendAsync(string to, string subject, string html, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        if (!smtp.IsConfigured)
        {
            throw new InvalidOperationException("No mail server is configured (DuckChat:Smtp:Host).");
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From!)); // set whenever Host is: checked at start-up
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart(TextFormat.Html) { Text = html };

        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        var security = !smtp.UseStartTls ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
