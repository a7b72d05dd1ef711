using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the packaged log-out, which only deleted this browser's cookie: this ends the sign-in itself, so a copy
/// of the cookie stops working too, and this browser's other open tabs end. Only a POST logs out.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignIns signIns, ILogger<LogoutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        await signIns.SignOutAsync(User);
        logger.LogInformation("A user logged out");
        return returnUrl is not null && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage();
    }
}
