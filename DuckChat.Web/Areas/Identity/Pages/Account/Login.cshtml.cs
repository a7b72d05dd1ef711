using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Accounts;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged log-in page: it accepts a username or an email, and failed attempts count toward
/// lockout (the packaged page passes lockoutOnFailure: false).
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<ApplicationUser> signIn, AccountThrottle throttle, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your username or email.")]
        [Display(Name = "Username or email")]
        public string UserNameOrEmail { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Remember me")]
        public bool RememberMe { get; set; }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        // Start clean: a stale external cookie would otherwise linger.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!throttle.AllowLogIn(HttpContext, Input.UserNameOrEmail))
        {
            return AccountThrottle.TooManyAttempts(this);
        }

        var users = signIn.UserManager;
        var name = Input.UserNameOrEmail.Trim();
        // Usernames cannot contain '@', so the two never collide.
        var user = name.Contains('@') ? await users.FindByEmailAsync(name) : await users.FindByNameAsync(name);
        if (user is null)
        {
            // An unknown account still costs a password hash, so timing does not tell which accounts exist.
            users.PasswordHasher.VerifyHashedPassword(new ApplicationUser(), UnknownUserHash.Value, Input.Password);
            ModelState.AddModelError(string.Empty, "Invalid log-in attempt.");
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User {UserId} logged in", user.Id);
            return LocalRedirect(ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("User {UserId} is locked out", user.Id);
            return RedirectToPage("./Lockout");
        }

        ModelState.AddModelError(string.Empty, "Invalid log-in attempt.");
        return Page();
    }

    private string LocalOrHome(string? returnUrl) => returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";

    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Guid.NewGuid().ToString()));
}
