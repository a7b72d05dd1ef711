using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Backup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Backup;

/// <summary>The admin area's Backup page, rendered with the real service of a running app, as an admin's circuit has it.</summary>
public sealed class AdminBackupPageTests : MudTestContext
{
    [Fact]
    public async Task BackupPage_BacksUpOnClick_AndShowsTheOutcome()
    {
        var directory = TestPaths.NewTempDirectory("page-backups");
        try
        {
            await using var app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Backup:Directory"] = directory });
            Services.AddSingleton(app.ServiceFor<BackupAdministration>(await app.CreateAdminAsync("root")));
            var page = Render<AdminBackup>();

            await page.Find("button").ClickAsync(new());

            page.WaitForAssertion(() => Assert.Contains("success", page.Find("[role=status]").ClassName), TimeSpan.FromSeconds(30));
            Assert.Single(Directory.GetDirectories(directory));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(directory);
        }
    }

    [Fact]
    public async Task BackupPage_WithoutAConfiguredDirectory_OffersNoBackup()
    {
        await using var app = new DuckChatAppFactory();
        Services.AddSingleton(app.ServiceFor<BackupAdministration>(await app.CreateAdminAsync("root")));

        var page = Render<AdminBackup>();

        Assert.Empty(page.FindAll("button"));
        Assert.NotEmpty(page.FindAll(".mud-alert"));
    }
}
