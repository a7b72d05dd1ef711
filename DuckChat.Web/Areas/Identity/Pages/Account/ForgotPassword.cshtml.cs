using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged forgot-password page. With a mail server (DuckChat:Smtp:Host) it mails the account a
/// reset link; without one it looks nothing up and tells the person to ask an admin. Either way the answer is
/// the same whether or not the account exists.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(
    UserManager<ApplicationUser> users,
    PasswordResetLinks links,
    IEmailSender mail,
    IOptions<SmtpOptions> smtp,
    AccountThrottle throttle,
    ILogger<ForgotPasswordModel> logger) : PageModel
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

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user?.Email is { } email)
        {
            var link = await links.CreateLinkAsync(user, $"{Request.Scheme}://{Request.Host}{Request.PathBase}");
            try
            {
                await mail.SendEmailAsync(email, "Reset your DuckChat password",
                    $"<p>Someone asked to reset the password of your DuckChat account {HtmlEncoder.Default.Encode(user.UserName ?? "")}.</p>" +
                    $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">Reset your password</a></p>" +
                    "<p>The link works once. If it was not you, ignore this mail: your password stays as it is.</p>");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A mail server that fails must not answer differently for an account that exists.
                logger.LogError(e, "Could not mail a password reset link to user {UserId}", user.Id);
            }
        }

        return RedirectToPage("./ForgotPasswordConfirmation");
    }
}
