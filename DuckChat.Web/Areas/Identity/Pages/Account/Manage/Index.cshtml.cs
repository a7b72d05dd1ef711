using DuckChat.Web.Accounts;
using DuckChat.Web.Presence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Replaces the packaged profile page (a phone number DuckChat never uses) with the account, "appear offline" and "log out everywhere".</summary>
public sealed class IndexModel(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signInManager, SignIns signIns, AppearOfflineSetting appearOffline, ILogger<IndexModel> logger)
    : PageModel
{
    public string UserName { get; private set; } = "";
    public string? Email { get; private set; }
    public bool AppearOffline { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        UserName = user.UserName ?? "";
        Email = user.Email;
        AppearOffline = user.AppearOffline;
        return Page();
    }

    public async Task<IActionResult> OnPostAppearOfflineAsync([FromForm(Name = "appearOffline")] bool on)
    {
        if (users.GetUserId(User) is not { } userId)
        {
            return NotFound("The account was not found.");
        }

        var result = await appearOffline.SetAsync(userId, on);
        StatusMessage = result.Succeeded ? (on ? "You appear offline." : "You no longer appear offline.") : result.Error;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostLogOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        await signIns.EndAllAsync(user);
        await signInManager.SignOutAsync();
        logger.LogInformation("User {UserId} logged out everywhere", user.Id);
        return RedirectToPage("/Account/Login", new { area = "Identity" });
    }
}
