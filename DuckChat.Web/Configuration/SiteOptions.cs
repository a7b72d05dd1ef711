using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Configuration;

/// <summary>Settings directly under DuckChat.</summary>
public sealed class SiteOptions : IValidatableObject
{
    /// <summary>
    /// The address people open DuckChat at, e.g. <c>https://chat.example.com</c>. Every absolute link the app makes
    /// (mails, reset links) starts with it, never with the host a request claims to be for: a forged Host header
    /// would otherwise mail people a link to someone else's site.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The parsed <see cref="PublicUrl"/>, without a trailing slash; null when not set.</summary>
    public Uri? PublicBaseUri => Uri.TryCreate(PublicUrl?.TrimEnd('/'), UriKind.Absolute, out var uri) ? uri : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PublicUrl))
        {
            yield break;
        }

        if (PublicBaseUri is not { Scheme: "https" or "http" } uri || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            yield return new ValidationResult("must be an absolute http(s) address without a query, e.g. https://chat.example.com.", [nameof(PublicUrl)]);
        }
    }
}

/// <summary>Mail carries links, so a mail server needs <see cref="SiteOptions.PublicUrl"/> to make them from.</summary>
public sealed class MailNeedsPublicUrl(IOptions<SiteOptions> site) : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
        options.IsConfigured && site.Value.PublicBaseUri is null
            ? ValidateOptionsResult.Fail($"{DuckChatConfiguration.Section}:PublicUrl: must be set when DuckChat:Smtp:Host is set: mailed links start with it.")
            : ValidateOptionsResult.Success;
}
