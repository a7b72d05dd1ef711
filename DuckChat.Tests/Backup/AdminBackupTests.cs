using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Backup;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Backup;

/// <summary>The admin area's backup, through the service the page calls, as an admin's and a plain user's circuit has it.</summary>
public sealed class AdminBackupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminBackup_WritesIntoANewFolderOfTheConfiguredDirectory_AndIsAudited_ButNotForPlainUsers()
    {
        var directory = TestPaths.NewTempDirectory("admin-backups");
        try
        {
            await using var app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Backup:Directory"] = directory });
            var admin = await app.CreateAdminAsync("root");
            var carol = await app.CreatePersonAsync("carol");

            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.ServiceFor<BackupAdministration>(carol).BackUpAsync(Cancel));
            Assert.Empty(Directory.GetFileSystemEntries(directory));

            var outcome = await app.ServiceFor<BackupAdministration>(admin).BackUpAsync(Cancel);

            Assert.True(outcome.Succeeded, outcome.Message);
            var folder = Assert.Single(Directory.GetDirectories(directory));
            var manifest = await BackupManifest.ReadAsync(folder, Cancel);
            Assert.Equal(2, manifest.RowCounts["AspNetUsers"]);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }

            await using var db = await app.CreateDbContextAsync();
            var entry = Assert.Single(await db.AuditEntries.Where(e => e.Action == BackupAdministration.AuditAction).ToListAsync(Cancel));
            Assert.Equal((admin.Id, Path.GetFileName(folder)), (entry.ActorId, entry.TargetId));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(directory);
        }
    }

    [Fact]
    public async Task AdminBackup_WithoutAConfiguredDirectory_IsOff_AndWritesNothing()
    {
        await using var app = new DuckChatAppFactory();
        var admin = await app.CreateAdminAsync("root");
        var backups = app.ServiceFor<BackupAdministration>(admin);

        var outcome = await backups.BackUpAsync(Cancel);

        Assert.Null(backups.Directory);
        Assert.False(outcome.Succeeded);
        Assert.Equal(["duckchat.db"], Directory.GetFiles(app.DataDirectory, "*.db").Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(app.DataDirectory).Select(Path.GetFileName).Except(["keys", "files"]));
    }
}
