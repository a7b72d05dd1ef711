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
/// Replaces the packaged log-in page: it accepts a username or an email, and failed attempts slow down further
/// log-ins of that name (<see cref="LogInGuard"/>) instead of locking the account, which would let anyone lock anyone.
/// Unknown names, wrong passwords and attempts the guard does not check all get the same answer.
/// </summary>
[AllowAnonymous]
public sealed class LogInModel(
    UserManager<ApplicationUser> users, AccountLookup lookup, SignIns signIns, AccountThrottle throttle, LogInGuard guard, TimeProvider time, ILogger<LogInModel> logger) : PageModel
{
    public const string Refusal = "Invalid log-in attempt.";

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

        if (!throttle.AllowLogIn(HttpContext))
        {
            return AccountThrottle.TooManyAttempts(this);
        }

        var name = Input.UserNameOrEmail.Trim();
        var account = users.NormalizeName(name)!;
        var address = AccountThrottle.AddressKey(HttpContext);
        var admission = guard.Admit(account, address);
        if (admission.Delay > TimeSpan.Zero)
        {
            await Task.Delay(admission.Delay, time, HttpContext.RequestAborted);
        }

        // An email shared by several accounts names none of them: those people log in with their username.
        var user = admission.CheckPassword && await lookup.FindAsync(name) is [var single] ? single : null;
        if (user is null || !await users.CheckPasswordAsync(user, Input.Password))
        {
            if (user is null)
            {
                // An unknown account (or one not checked) still costs a password hash, so timing tells nothing.
                users.PasswordHasher.VerifyHashedPassword(new ApplicationUser(), UnknownUserHash.Value, Input.Password);
            }

            if (admission.CheckPassword)
            {
                guard.Failed(account, address);
            }

            ModelState.AddModelError(string.Empty, Refusal);
            return Page();
        }

        guard.Succeeded(account, address);
        if (await users.IsLockedOutAsync(user))
        {
            // Only an admin locks an account; saying so is safe once the password is known to be right.
            logger.LogWarning("User {UserId} tried to log in while locked", user.Id);
            ModelState.AddModelError(string.Empty, "This account is locked. Ask your DuckChat admin.");
            return Page();
        }

        await signIns.SignInAsync(user, Input.RememberMe);
        logger.LogInformation("User {UserId} logged in", user.Id);
        return LocalRedirect(ReturnUrl);
    }

    private string LocalOrHome(string? returnUrl) => returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";

    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Guid.NewGuid().ToString()));
}
