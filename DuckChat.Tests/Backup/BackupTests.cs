using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using DuckChat.Tests.Files;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Backup;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Backup;

/// <summary>
/// <c>--backup DIR</c> and <c>--restore DIR</c>, each run as its own process on the files of an app that is serving,
/// as an operator runs them beside a live instance.
/// </summary>
public sealed class BackupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backup_WhileSendsAndUploadsGoOn_RestoresEveryAcknowledgedMessageOnce_AndServesTheirFiles()
    {
        var backups = TestPaths.NewTempDirectory("backup");
        var backup = Path.Combine(backups, "taken");
        try
        {
            await using var app = new UnthrottledAppFactory();
            var alice = await app.CreateUserAsync("alice");
            var bob = await app.CreateUserAsync("bob");
            var chat = (await app.ServiceFor<GroupService>(alice).CreateAsync("Backed up", [bob.Id])).ChatId;
            var cookies = new CookieContainer();
            (await app.SignedInClientAsync("alice", cookies)).Dispose();

            var acknowledged = new ConcurrentQueue<Sent>();
            using var stop = new CancellationTokenSource();
            var writing = Task.Run(() => KeepWritingAsync(app, alice, chat, acknowledged, stop.Token), Cancel);
            await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 20 || writing.IsCompleted), TimeSpan.FromSeconds(60), "sends before the backup");
            var before = acknowledged.ToArray();

            await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(app.DataDirectory), BackupCommand.BackupArgument, backup))
            {
                Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, process.Output);
            }

            var duringBackup = acknowledged.Count - before.Length;
            await stop.CancelAsync();
            await writing;
            Assert.True(duringBackup > 0, "no send was acknowledged while the backup ran, so it was not taken under load");
            if (!OperatingSystem.IsWindows())
            {
                AssertPrivate(backup);
            }

            await using var restored = new DuckChatAppFactory();
            await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(restored.DataDirectory), BackupCommand.RestoreArgument, backup))
            {
                Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, process.Output);
            }

            await using (var db = await restored.CreateDbContextAsync())
            {
                Assert.Equal(["ok"], await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync(Cancel));
                var bodies = await db.Messages.Where(m => m.ChatId == chat && m.Kind == MessageKind.Text).Select(m => m.Body).ToListAsync(Cancel);
                Assert.All(before, sent => Assert.Single(bodies, body => body == sent.Body));
            }

            // alice's sign-in cookie from before the backup opens the restored app: its key ring and her sign-in came along.
            using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = restored.BaseAddress };
            var files = before.Where(s => s.File is not null).Select(s => s.File!.Value).ToList();
            Assert.NotEmpty(files);
            foreach (var (id, name, bytes) in files)
            {
                using var response = await client.GetAsync(FileUrls.Content(id, name), Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Cancel));
            }

            await using (var db = await restored.CreateDbContextAsync())
            {
                var ids = files.Select(f => f.Id).ToList();
                foreach (var thumbnail in await db.Files.Where(f => ids.Contains(f.Id) && f.Thumbnail == ThumbnailState.Ready).Select(f => f.Id).ToListAsync(Cancel))
                {
                    using var response = await client.GetAsync(FileUrls.Thumbnail(thumbnail), Cancel);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(backups);
        }
    }

    [Fact]
    public async Task Backup_IntoAFolderThatHoldsSomething_IsRefused_AndLeavesItAlone()
    {
        var folder = TestPaths.NewTempDirectory("backup-full");
        try
        {
            await using var app = new DuckChatAppFactory();
            await app.CreateUserAsync("alice");
            await File.WriteAllTextAsync(Path.Combine(folder, "other.txt"), "someone else's", Cancel);

            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(app.DataDirectory), BackupCommand.BackupArgument, folder);

            Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Equal(["other.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            TestPaths.DeleteQuietly(folder);
        }
    }

    [Fact]
    public async Task Backup_ThatStopsBeforeItsManifest_TakesAwayWhatItWrote()
    {
        // Arrange: a backup into a new folder and one into an empty folder, both stopped after the database copy
        var backups = TestPaths.NewTempDirectory("backup-stopped");
        try
        {
            await using var app = new DuckChatAppFactory();
            await app.CreateUserAsync("alice");
            var writer = app.Services.GetRequiredService<BackupWriter>();
            var created = Path.Combine(backups, "new");
            var empty = Directory.CreateDirectory(Path.Combine(backups, "empty")).FullName;

            // Act
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(created, new CancellationToken(canceled: true)));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(empty, new CancellationToken(canceled: true)));

            // Assert: the folder it made is gone; the one it was given is left, empty
            Assert.False(Directory.Exists(created));
            Assert.Empty(Directory.GetFileSystemEntries(empty));
        }
        finally
        {
            TestPaths.DeleteQuietly(backups);
        }
    }

    [Fact]
    public async Task Restore_OfADamagedBackup_OrOverADatabase_IsRefused_AndWritesNothing()
    {
        var backups = TestPaths.NewTempDirectory("backup-damaged");
        var backup = Path.Combine(backups, "taken");
        var fresh = TestPaths.NewTempDirectory("restore-target");
        try
        {
            await using var app = new DuckChatAppFactory();
            var alice = await app.CreateUserAsync("alice");
            await app.CreateUserAsync("bob");
            var chat = (await app.ChatServiceFor(alice).OpenDirectChatAsync("bob")).ChatId;
            var upload = await app.UploadAsync(alice, chat, "notes.txt", "pond notes"u8.ToArray());
            Assert.True((await app.ChatServiceFor(alice).SendAsync(chat, "with a file", Guid.NewGuid(), fileIds: [upload.File!.Id])).Succeeded);
            await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(app.DataDirectory), BackupCommand.BackupArgument, backup))
            {
                Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, process.Output);
            }

            // Over a data folder that holds a database (here the app's own): refused, the database untouched.
            var live = Path.Combine(app.DataDirectory, "duckchat.db");
            var liveBefore = await File.ReadAllBytesAsync(live, Cancel);
            await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(app.DataDirectory), BackupCommand.RestoreArgument, backup))
            {
                Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            }

            Assert.Equal(liveBefore, await File.ReadAllBytesAsync(live, Cancel));

            // One byte of one file changed: the manifest's checksum refuses the whole backup before anything is written.
            var stored = Directory.GetFiles(Path.Combine(backup, BackupManifest.FilesFolder)).Single();
            var bytes = await File.ReadAllBytesAsync(stored, Cancel);
            bytes[0] ^= 1;
            await File.WriteAllBytesAsync(stored, bytes, Cancel);
            await using (var process = AppProcess.Start(TestPaths.WebBuildOutput, Settings(fresh), BackupCommand.RestoreArgument, backup))
            {
                Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            }

            Assert.False(File.Exists(Path.Combine(fresh, "duckchat.db")));
            Assert.False(Directory.Exists(Path.Combine(fresh, "files")) && Directory.EnumerateFileSystemEntries(Path.Combine(fresh, "files")).Any());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(backups);
            TestPaths.DeleteQuietly(fresh);
        }
    }

    /// <summary>A message that was acknowledged, and the file it carried.</summary>
    private sealed record Sent(string Body, (string Id, string Name, byte[] Bytes)? File);

    /// <summary>alice sends until stopped, every third message with a file (some of them images, which get thumbnails).</summary>
    private static async Task KeepWritingAsync(DuckChatAppFactory app, ApplicationUser alice, int chat, ConcurrentQueue<Sent> acknowledged, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            (string Id, string Name, byte[] Bytes)? file = null;
            if (i % 3 == 0)
            {
                var (name, bytes) = i % 9 == 0 ? ($"image{i}.png", TestImages.OnePixelPng) : ($"file{i}.bin", RandomNumberGenerator.GetBytes(2000 + i));
                var uploaded = await app.UploadAsync(alice, chat, name, bytes);
                Assert.NotNull(uploaded.File);
                file = (uploaded.File.Id, uploaded.File.Name, bytes);
            }

            var body = $"message {i}";
            var sent = await app.ChatServiceFor(alice).SendAsync(chat, body, Guid.NewGuid(), fileIds: file is { } f ? [f.Id] : null);
            Assert.True(sent.Succeeded, sent.Error);
            acknowledged.Enqueue(new Sent(body, file));
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertPrivate(string folder)
    {
        const UnixFileMode folderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(folderMode, File.GetUnixFileMode(folder));
        Assert.All(Directory.GetDirectories(folder, "*", SearchOption.AllDirectories), d => Assert.Equal(folderMode, File.GetUnixFileMode(d)));
        Assert.All(Directory.GetFiles(folder, "*", SearchOption.AllDirectories), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Contains(BackupManifest.FileName, Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    private static Dictionary<string, string> Settings(string dataDirectory) => new() { ["DuckChat__Database__DataDirectory"] = dataDirectory };
}
