using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace DuckChat.Web.Configuration;

/// <summary>
/// The mail server for forgot-password mails (DuckChat:Smtp). Mail is off unless <see cref="Host"/> is set;
/// without it, people who forgot their password are told to ask an admin for a reset link. With it,
/// DuckChat:PublicUrl is required too.
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "must be a port between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>Log in to the server only when this is set.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The address mails come from, e.g. <c>duckchat@example.com</c> or <c>DuckChat &lt;duckchat@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Encrypt the connection: STARTTLS, or TLS from the start on port 465. When true, a server that does not offer
    /// STARTTLS gets no mail. Turn off only for a server on the same machine or network that cannot do TLS.
    /// </summary>
    public bool UseStartTls { get; set; } = true;

    [MemberNotNullWhen(true, nameof(Host))]
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult(
                "must be set when DuckChat:Smtp:Host is set: it is the address mails come from.", [nameof(From)]);
        }
        else if (!string.IsNullOrWhiteSpace(From) && !(MailboxAddress.TryParse(From, out var from) && from.Address.Contains('@')))
        {
            yield return new ValidationResult("must be an email address, e.g. duckchat@example.com.", [nameof(From)]);
        }
    }
}
