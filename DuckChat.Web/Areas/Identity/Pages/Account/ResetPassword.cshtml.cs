using System.ComponentModel.DataAnnotations;
using System.Text;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged reset page, which answered differently for an email without an account. Here a link that
/// does not work for the name or email given gets one answer, whatever the reason; a new password ends every
/// sign-in and open tab of the account.
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<ApplicationUser> users, AccountLookup lookup, SignIns signIns, ILogger<ResetPasswordModel> logger) : PageModel
{
    public const string Refusal = "This link does not work for that account: it may have expired or been used already. Ask for a new one.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your username or email.")]
        [Display(Name = "Username or email")]
        public string UserNameOrEmail { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string Password { get; set; } = "";

        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";

        [Required]
        public string Code { get; set; } = "";
    }

    public IActionResult OnGet(string? code = null)
    {
        if (code is null)
        {
            return BadRequest("A reset link carries a code; this one has none.");
        }

        Input = new InputModel { Code = code };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Input.Code));
        }
        catch (FormatException)
        {
            ModelState.AddModelError(string.Empty, Refusal);
            return Page();
        }

        foreach (var user in await lookup.FindAsync(Input.UserNameOrEmail))
        {
            var result = await users.ResetPasswordAsync(user, token, Input.Password);
            if (result.Succeeded)
            {
                await signIns.EndAllAsync(user);
                logger.LogInformation("User {UserId} reset their password", user.Id);
                return RedirectToPage("./ResetPasswordConfirmation");
            }

            if (result.Errors.All(e => e.Code != nameof(IdentityErrorDescriber.InvalidToken)))
            {
                // The link is right for this account (the token checked out): what is wrong is the new password.
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(string.Empty, error.Description);
                }

                return Page();
            }
        }

        ModelState.AddModelError(string.Empty, Refusal);
        return Page();
    }
}
