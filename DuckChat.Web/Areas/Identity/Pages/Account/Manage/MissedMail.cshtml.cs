using DuckChat.Web.Configuration;
using DuckChat.Web.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>The account's mail settings: whether missed-messages mail comes (an unsubscribe link turns it off; this turns it on again).</summary>
public sealed class MissedMailModel(UserManager<Accounts.ApplicationUser> users, MissedMailSetting setting, IOptions<SmtpOptions> smtp, IOptions<MissedMailOptions> options) : PageModel
{
    public bool On { get; private set; }

    public bool MailConfigured => smtp.Value.IsConfigured && options.Value.Enabled;

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (users.GetUserId(User) is not { } userId)
        {
            return NotFound("The account was not found.");
        }

        On = await setting.IsOnAsync(userId);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(bool on)
    {
        if (users.GetUserId(User) is not { } userId)
        {
            return NotFound("The account was not found.");
        }

        await setting.SetAsync(userId, on);
        StatusMessage = on ? "Missed-message mail is on." : "Missed-message mail is off.";
        return RedirectToPage();
    }
}
