using DuckChat.Web.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Identity.UI's mail sender, over the SMTP server of DuckChat:Smtp (MailKit). With no server configured it
/// sends nothing and logs that it did not.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var smtp = options.Value;
        if (!smtp.IsConfigured)
        {
            logger.LogWarning("No mail server is configured (DuckChat:Smtp:Host): the mail '{Subject}' was not sent", subject);
            return;
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From!)); // set whenever Host is: checked at start-up
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = subject;
        message.Body = new TextPart(TextFormat.Html) { Text = htmlMessage };

        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        await client.ConnectAsync(smtp.Host, smtp.Port,
            smtp.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "");
        }

        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        logger.LogInformation("Mailed '{Subject}' through {Host}:{Port}", subject, smtp.Host, smtp.Port);
    }
}
