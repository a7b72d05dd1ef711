using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Accounts;

/// <summary>
/// A username is a public handle: 3–32 letters, digits, '_', '.' or '-', in Unicode normalization form KC (so
/// full-width "ｂｏｂ" is "bob"). Letters may not mix Latin, Greek and Cyrillic, and a Greek or Cyrillic name made only
/// of letters that look Latin is refused, so nobody can pose as "alice" with a Cyrillic "а". Bidi controls,
/// zero-width characters and combining marks are not letters, so they are refused too. Identity's own validator
/// still checks uniqueness ignoring case (through <see cref="UserNameNormalizer"/>); this one also refuses a name
/// that looks like another account's in any script (<see cref="UserNameSkeleton"/>), and stamps the account with
/// the look-alike key it checked.
/// </summary>
public sealed class UserNameRules : IUserValidator<ApplicationUser>
{
    public const string Description = "3–32 letters, digits, '_', '.' or '-'";

    // Greek and Cyrillic letters that are drawn like Latin ones.
    private const string LatinLookAlikes = "аеорсухіјѕԁԛԝвкмнтАВЕКМНОРСТУХІЈЅαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ";

    private enum Script { Latin, Greek, Cyrillic, Other }

    public static string? WhyInvalid(string? userName)
    {
        if (userName is not { Length: >= ApplicationUser.UserNameMinLength and <= ApplicationUser.UserNameMaxLength }
            || !userName.IsNormalized(NormalizationForm.FormKC)
            || !userName.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            return $"A username has {Description}.";
        }

        if (Chats.Mentions.Mention.BroadcastOf(userName) is not null)
        {
            return "This name is kept for mentioning a whole group; choose another.";
        }

        var scripts = userName.Where(char.IsLetter).Select(ScriptOf).Where(s => s != Script.Other).Distinct().ToList();
        if (scripts.Count > 1)
        {
            return "A username may not mix Latin, Greek and Cyrillic letters.";
        }

        return scripts is [Script.Greek or Script.Cyrillic] && userName.Where(char.IsLetter).All(LatinLookAlikes.Contains)
            ? "This username looks like a Latin one written in other letters; choose another."
            : null;
    }

    public static bool IsValid(string? userName) => WhyInvalid(userName) is null;

    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        if (WhyInvalid(user.UserName) is { } why)
        {
            return IdentityResult.Failed(new IdentityError { Code = "InvalidUserName", Description = why });
        }

        user.UserNameSkeleton = UserNameSkeleton.Of(user.UserName!);
        var normalized = manager.NormalizeName(user.UserName);
        // Every update of an account runs this (a lock, a new password): an unchanged name is not checked again, so an
        // account kept from before names were compared keeps working.
        if (await manager.Users.AnyAsync(u => u.Id == user.Id && u.NormalizedUserName == normalized))
        {
            return IdentityResult.Success;
        }

        // The same name ignoring case is Identity's own DuplicateUserName: said once, by it.
        var lookAlike = await manager.Users.AnyAsync(u => u.UserNameSkeleton == user.UserNameSkeleton && u.Id != user.Id && u.NormalizedUserName != normalized);
        return lookAlike
            ? IdentityResult.Failed(new IdentityError { Code = "LookAlikeUserName", Description = "This username looks like someone else's; choose another." })
            : IdentityResult.Success;
    }

    private static Script ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => Script.Latin,
        (>= '\u0370' and <= '\u03FF') or (>= '\u1F00' and <= '\u1FFF') => Script.Greek,
        (>= '\u0400' and <= '\u052F') or (>= '\u1C80' and <= '\u1C8F') => Script.Cyrillic,
        _ => Script.Other,
    };
}

/// <summary>Identity's lookup keys: Unicode form KC, then upper case, so look-alike compatibility forms collide.</summary>
public sealed class UserNameNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => name is null ? null : Normalize(name);

    public string? NormalizeEmail(string? email) => email is null ? null : Normalize(email);

    /// <summary>A name (or part of one, as a search types it) in the form stored as its normalized name: every lookup by name compares this.</summary>
    public static string Normalize(string name) => name.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
}
