using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Makes password reset links for Identity.UI's packaged reset page, where the person enters their email and a
/// new password. A link works once: its token is tied to the account's security stamp, which a successful reset
/// changes. It expires after DuckChat:Accounts:PasswordResetLinkLifetime. The admin area hands links out by hand;
/// the forgot-password page mails them when a mail server is configured.
/// </summary>
public sealed class PasswordResetLinks(UserManager<ApplicationUser> users)
{
    public const string ResetPagePath = "/Identity/Account/ResetPassword";

    /// <summary>An absolute link, <paramref name="baseUrl"/> being the app's address (scheme, host and any path base).</summary>
    public async Task<string> CreateLinkAsync(ApplicationUser user, string baseUrl)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        return $"{baseUrl.TrimEnd('/')}{ResetPagePath}?code={code}";
    }
}
