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

        // The role and its audit entry in one transaction, on the context UserManager saves through.
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
        var userId = user.Id;
        var error = await db.InTransactionAsync<string?>(async transaction =>
        {
            var current = (await users.FindByIdAsync(userId))!;
            if (await users.IsInRoleAsync(current, AdminBootstrap.AdminRole))
            {
                return null;
            }

            var result = await users.AddToRoleAsync(current, AdminBootstrap.AdminRole);
            if (!result.Succeeded)
            {
                return string.Join(" ", result.Errors.Select(e => e.Description));
            }

            await AdminGuard.AuditAsync(db, TimeProvider.System, ("command line", "command line"), "Make admin", "User", current.Id, current.UserName);
            await transaction.CommitAsync();
            return null;
        });
        if (error is not null)
        {
            await Console.Error.WriteLineAsync(error);
            return 1;
        }

        Console.WriteLine($"{user.UserName} is an admin.");
        return 0;
    }
}
