using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Replaces the packaged profile page (a phone number DuckChat never uses) with the account and "log out everywhere".</summary>
public sealed class IndexModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signInManager, SignIns signIns, ILogger<IndexModel> logger) : PageModel
{
    public string UserName { get; private set; } = "";
    public string? Email { get; private set; }

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
        return Page();
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
