using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Accounts;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged registration page: asks for a username (the public handle) as the original did, and
/// signs the person in at once (there is no mail server to confirm with by default).
/// </summary>
[AllowAnonymous]
public sealed class RegisterModel(UserManager<ApplicationUser> users, SignIns signIns, AccountThrottle throttle, TimeProvider time, ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Choose a username.")]
        [StringLength(ApplicationUser.UserNameMaxLength, MinimumLength = ApplicationUser.UserNameMinLength,
            ErrorMessage = "A username has 3–32 characters.")]
        [Display(Name = "Username")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your email.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet(string? returnUrl = null) => ReturnUrl = LocalOrHome(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!throttle.AllowRegister(HttpContext))
        {
            return AccountThrottle.TooManyAttempts(this);
        }

        var user = new ApplicationUser
        {
            // Form KC, so what is stored is what the rules checked ("ｂｏｂ" is registered as "bob").
            UserName = Input.UserName.Trim().Normalize(System.Text.NormalizationForm.FormKC),
            Email = Input.Email.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        logger.LogInformation("User {UserId} registered", user.Id);
        await signIns.SignInAsync(user, persistent: false);
        return LocalRedirect(ReturnUrl);
    }

    private string LocalOrHome(string? returnUrl) => returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
