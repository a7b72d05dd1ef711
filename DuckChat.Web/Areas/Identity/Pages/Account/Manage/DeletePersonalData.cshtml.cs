using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Replaces the packaged self-delete page so that it follows <see cref="AccountDeletionRules"/>.</summary>
public sealed class DeletePersonalDataModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    AccountDeletionRules rules,
    ILogger<DeletePersonalDataModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool RequirePassword { get; private set; }

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        RequirePassword = await users.HasPasswordAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        RequirePassword = await users.HasPasswordAsync(user);
        if (RequirePassword && !await users.CheckPasswordAsync(user, Input.Password ?? ""))
        {
            ModelState.AddModelError(string.Empty, "Incorrect password.");
            return Page();
        }

        if (await rules.WhyNotDeletableAsync(user) is { } reason)
        {
            ModelState.AddModelError(string.Empty, reason);
            return Page();
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, "The account could not be deleted. Please try again.");
            return Page();
        }

        await signIn.SignOutAsync();
        logger.LogInformation("User {UserId} deleted their account", user.Id);
        return Redirect("~/");
    }
}
