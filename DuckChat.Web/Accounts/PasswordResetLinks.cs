using System.Text;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Makes password reset links for the reset page, where the person enters their username or email and a new
/// password. A link works once: its token is tied to the account's security stamp, which a successful reset
/// changes. It expires after DuckChat:Accounts:PasswordResetLinkLifetime. The admin area hands links out by hand;
/// the forgot-password page has them mailed when a mail server is configured.
/// </summary>
public sealed class PasswordResetLinks(UserManager<ApplicationUser> users, IOptions<SiteOptions> site)
{
    public const string ResetPagePath = "/Identity/Account/ResetPassword";

    /// <summary>
    /// An absolute link that starts with DuckChat:PublicUrl. Only where that is not set (no mail server), it starts
    /// with <paramref name="fallbackBaseUrl"/>: the address of the admin's own page, shown only to that admin.
    /// </summary>
    public async Task<string> CreateLinkAsync(ApplicationUser user, string? fallbackBaseUrl = null)
    {
        var baseUrl = site.Value.PublicBaseUri?.ToString() ?? fallbackBaseUrl
            ?? throw new InvalidOperationException("DuckChat:PublicUrl is not set, and no other address was given for the link.");
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        return $"{baseUrl.TrimEnd('/')}{ResetPagePath}?code={code}";
    }
}
