using System.ComponentModel.DataAnnotations;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Replaces the packaged self-delete page so that it deletes as <see cref="AccountDeletion"/> does.</summary>
public sealed class DeletePersonalDataModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    ChatDbContext db,
    AccountDeletion deletion,
    IMessageBus bus,
    Diagnostics.DuckChatMetrics metrics,
    ILogger<DeletePersonalDataModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool RequirePassword { get; private set; }

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        RequirePassword = await users.HasPasswordAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound("The account was not found.");
        }

        RequirePassword = await users.HasPasswordAsync(user);
        if (RequirePassword && !await users.CheckPasswordAsync(user, Input.Password ?? ""))
        {
            ModelState.AddModelError(string.Empty, "Incorrect password.");
            return Page();
        }

        var userId = user.Id;
        var (refusal, deleted) = await db.InTransactionAsync(async transaction =>
        {
            // Found again: each attempt of the transaction starts with an empty change tracker.
            var current = await users.FindByIdAsync(userId);
            var outcome = current is null ? ("The account was not found.", null) : await deletion.DeleteAsync(current);
            if (outcome.Refusal is null)
            {
                await transaction.CommitAsync();
            }

            return outcome;
        });
        if (refusal is not null)
        {
            ModelState.AddModelError(string.Empty, refusal);
            return Page();
        }

        deleted!.Announce(bus, metrics);
        await signIn.SignOutAsync();
        logger.LogInformation("User {UserId} deleted their account", userId);
        return Redirect("~/");
    }
}
