using System.Globalization;
using System.Security.Cryptography;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Mail;

/// <summary>
/// Whether a person gets missed-messages mail (<see cref="Accounts.ApplicationUser.MissedMailOff"/>), and the
/// unsubscribe links that turn it off without signing in. A link is a data-protection token with a purpose of its own
/// (a token made for anything else, or changed by one character, does not read), naming the account, the setting's
/// version (<see cref="Accounts.ApplicationUser.MissedMailLinkVersion"/>) and when it expires. Using it is a
/// conditional UPDATE on that version, which it moves on: a link works once, and a change on the account page voids
/// the links made before. A link only ever turns mail off; it never signs anyone in.
/// </summary>
public sealed class MissedMailSetting(
    IDataProtectionProvider protection,
    IDbContextFactory<ChatDbContext> factory,
    IOptions<SiteOptions> site,
    IOptions<MissedMailOptions> options,
    TimeProvider time)
{
    public const string Purpose = "DuckChat.MissedMail.Unsubscribe";
    public const string UnsubscribePagePath = "/Identity/Account/StopMissedMail";
    public const string AccountPagePath = "/Identity/Account/Manage/MissedMail";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>An absolute link (on DuckChat:PublicUrl) that turns missed-messages mail off for the account.</summary>
    public string CreateUnsubscribeLink(string userId, int version)
    {
        var expires = (time.GetUtcNow() + options.Value.UnsubscribeLinkLifetime).ToUnixTimeSeconds();
        var token = _protector.Protect(string.Join('|', userId, version.ToString(CultureInfo.InvariantCulture), expires.ToString(CultureInfo.InvariantCulture)));
        return $"{BaseUrl}{UnsubscribePagePath}?token={Uri.EscapeDataString(token)}";
    }

    public string AccountPageLink => $"{BaseUrl}{AccountPagePath}";

    /// <summary>Whether <paramref name="token"/> would turn mail off now: ours, unexpired, unused, and the mail still on.</summary>
    public async Task<bool> IsUsableAsync(string? token)
    {
        if (Read(token) is not { } link)
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.AnyAsync(u => u.Id == link.UserId && u.MissedMailLinkVersion == link.Version && !u.MissedMailOff);
    }

    /// <summary>Turns mail off for the account <paramref name="token"/> names; false (nothing changed) for a link that does not work.</summary>
    public async Task<bool> UnsubscribeAsync(string? token)
    {
        if (Read(token) is not { } link)
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == link.UserId && u.MissedMailLinkVersion == link.Version && !u.MissedMailOff)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.MissedMailOff, true)
                .SetProperty(u => u.MissedMailLinkVersion, u => u.MissedMailLinkVersion + 1)) == 1;
    }

    /// <summary>Whether the person gets missed-messages mail (their own account page asks).</summary>
    public async Task<bool> IsOnAsync(string userId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => !u.MissedMailOff).SingleAsync();
    }

    /// <summary>The person's own choice on their account page; voids every unsubscribe link made before.</summary>
    public async Task SetAsync(string userId, bool on)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.MissedMailOff, !on)
            .SetProperty(u => u.MissedMailLinkVersion, u => u.MissedMailLinkVersion + 1));
    }

    private string BaseUrl => site.Value.PublicBaseUri?.ToString().TrimEnd('/')
        ?? throw new InvalidOperationException("DuckChat:PublicUrl is not set: mailed links start with it.");

    private UnsubscribeLink? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string text;
        try
        {
            text = _protector.Unprotect(token);
        }
        catch (Exception error) when (error is CryptographicException or FormatException)
        {
            return null; // changed, made for another purpose, or under a key this app never had
        }

        return text.Split('|') is [var userId, var version, var expires]
            && int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            && time.GetUtcNow().ToUnixTimeSeconds() < e
                ? new UnsubscribeLink(userId, v)
                : null;
    }

    private sealed record UnsubscribeLink(string UserId, int Version);
}
