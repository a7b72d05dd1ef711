using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Creates the admin account named by DuckChat:Admin:* at start-up, so a fresh install has an admin without
/// touching the database. Nothing happens unless both the email and the password are set. The password is the
/// account's first one only: an admin who changes it keeps the new one across restarts, unless
/// DuckChat:Admin:ResetPassword asks to set the configured one again (a forgotten admin password).
/// </summary>
public sealed class AdminBootstrap(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<AdminOptions> options,
    TimeProvider time,
    ILogger<AdminBootstrap> logger)
{
    public const string AdminRole = "Admin";

    public async Task EnsureAdminAsync()
    {
        if (!await roles.RoleExistsAsync(AdminRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(AdminRole)), "create the Admin role");
        }

        var admin = options.Value;
        if (string.IsNullOrEmpty(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            return;
        }

        var user = await users.FindByNameAsync(admin.UserName);
        if (user is null)
        {
            user = new ApplicationUser { UserName = admin.UserName, Email = admin.Email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
            Check(await users.CreateAsync(user, admin.Password), $"create the admin account '{admin.UserName}' from DuckChat:Admin");
            logger.LogInformation("Created admin account {UserName}", admin.UserName);
        }
        else
        {
            if (!string.Equals(user.Email, admin.Email, StringComparison.OrdinalIgnoreCase))
            {
                Check(await users.SetEmailAsync(user, admin.Email), "set the admin's email from DuckChat:Admin:Email");
            }

            if (admin.ResetPassword && !await users.CheckPasswordAsync(user, admin.Password))
            {
                var token = await users.GeneratePasswordResetTokenAsync(user);
                Check(await users.ResetPasswordAsync(user, token, admin.Password), "set the admin's password from DuckChat:Admin:Password");
                logger.LogWarning("Set the password of admin account {UserName} from DuckChat:Admin:Password, as DuckChat:Admin:ResetPassword asks: turn that setting off again", admin.UserName);
            }
        }

        if (!await users.IsInRoleAsync(user, AdminRole))
        {
            Check(await users.AddToRoleAsync(user, AdminRole), "add the admin account to the Admin role");
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new StartupException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
