using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Mail;
using DuckChat.Web.Configuration;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged forgot-password page. With a mail server (DuckChat:Smtp:Host) it queues a reset mail for
/// the address, which the mail sender turns into a link for each account that has it; without one it looks nothing
/// up and tells the person to ask an admin. Either way the answer, and the work done before it, is the same
/// whether or not an account has the address.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(MailQueue mail, IOptions<SmtpOptions> smtp, AccountThrottle throttle) : PageModel
{
    public const string AskAnAdminMessage = "Password resets are handled by your DuckChat admin: ask them for a reset link.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>True once a request was made while no mail server is configured.</summary>
    public bool AskAnAdmin { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!throttle.AllowForgotPassword(HttpContext))
        {
            return AccountThrottle.TooManyAttempts(this);
        }

        if (!smtp.Value.IsConfigured)
        {
            AskAnAdmin = true;
            return Page();
        }

        await mail.EnqueueAsync(MailKind.PasswordReset, Input.Email.Trim());
        return RedirectToPage("./ForgotPasswordConfirmation");
    }
}
