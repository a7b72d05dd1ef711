using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Accounts;

public sealed class AdminBootstrapTests
{
    [Fact]
    public async Task AdminSettings_CreateAnAdminAtStartUp()
    {
        await using var app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Admin:UserName"] = "boss",
            ["DuckChat:Admin:Email"] = "boss@example.test",
            ["DuckChat:Admin:Password"] = "Admin-Pass1",
        });
        app.StartServer();

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByNameAsync("boss");
        Assert.NotNull(admin);
        Assert.Equal("boss@example.test", admin.Email);
        Assert.True(await users.IsInRoleAsync(admin, AdminBootstrap.AdminRole));
        Assert.True(await users.CheckPasswordAsync(admin, "Admin-Pass1"));
    }

    [Theory]
    [InlineData(false, "Changed-Pass2")]
    [InlineData(true, "Admin-Pass1")]
    public async Task ChangedAdminPassword_SurvivesARestart_UnlessAResetIsAskedFor(bool resetPassword, string passwordAfterRestart)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DuckChat:Admin:Email"] = "boss@example.test",
            ["DuckChat:Admin:Password"] = "Admin-Pass1",
        };
        await using var restarted = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>(settings)
        {
            ["DuckChat:Admin:ResetPassword"] = resetPassword.ToString(),
        });
        await using (var first = DuckChatAppFactory.WithSettings(settings))
        {
            first.StartServer();
            await using var scope = first.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var admin = (await users.FindByNameAsync("admin"))!;
            Assert.True((await users.ChangePasswordAsync(admin, "Admin-Pass1", "Changed-Pass2")).Succeeded);
            // The same database, started again with the same settings.
            await using var source = new SqliteConnection($"Data Source={Path.Combine(first.DataDirectory, "duckchat.db")}");
            await using var copy = new SqliteConnection($"Data Source={Path.Combine(restarted.DataDirectory, "duckchat.db")};Pooling=false");
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
        }

        restarted.StartServer();
        await using var afterRestart = restarted.Services.CreateAsyncScope();
        var usersAfter = afterRestart.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await usersAfter.CheckPasswordAsync((await usersAfter.FindByNameAsync("admin"))!, passwordAfterRestart));
    }

    [Fact]
    public async Task RejectedAdminPassword_StopsStartUp_SayingWhy()
    {
        var dataDirectory = TestPaths.NewTempDirectory("bad-admin");
        try
        {
            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPaths.FreePort()}",
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
                ["DuckChat__Admin__Email"] = "admin@example.test",
                ["DuckChat__Admin__Password"] = "short",
            });

            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, exitCode);
            Assert.Contains("Could not create the admin account 'admin'", process.Output);
            Assert.Contains("Passwords must be at least 8 characters", process.Output);
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }
}
