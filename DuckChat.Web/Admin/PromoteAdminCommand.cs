using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace DuckChat.Web.Admin;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --promote-admin alice</c>: makes an existing account an admin, for teams that
/// started without one. Uses the app's own configuration (so the same database) and writes an audit entry.
/// </summary>
public static class PromoteAdminCommand
{
    public const string Argument = "--promote-admin";

    public static string? UserNameFrom(string[] args)
    {
        var at = Array.IndexOf(args, Argument);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : at >= 0 ? "" : null;
    }

    public static async Task<int> RunAsync(WebApplication app, string userName)
    {
        await app.InitializeDuckChatAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"No account named '{userName}'. Usage: {Argument} <username>");
            return 1;
        }

        if (!await users.IsInRoleAsync(user, AdminBootstrap.AdminRole))
        {
            var result = await users.AddToRoleAsync(user, AdminBootstrap.AdminRole);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync(string.Join(" ", result.Errors.Select(e => e.Description)));
                return 1;
            }

            await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
            await AdminGuard.AuditAsync(db, TimeProvider.System, ("command line", "command line"), "Make admin", "User", user.Id, user.UserName);
        }

        Console.WriteLine($"{user.UserName} is an admin.");
        return 0;
    }
}
