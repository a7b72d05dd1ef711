using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Accounts;

/// <summary>
/// A username is a public handle: 3–32 letters, digits, '_', '.' or '-'. Identity's own validator still
/// checks that it is unique ignoring case (through the normalized name).
/// </summary>
public sealed class UserNameRules : IUserValidator<ApplicationUser>
{
    public const string Description = "3–32 letters, digits, '_', '.' or '-'";

    public static bool IsValid(string? userName) =>
        userName is { Length: >= ApplicationUser.UserNameMinLength and <= ApplicationUser.UserNameMaxLength }
        && userName.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-');

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        Task.FromResult(IsValid(user.UserName)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError
            {
                Code = "InvalidUserName",
                Description = $"A username has {Description}.",
            }));
}
