using DuckChat.Tests.Files;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Data;

/// <summary>
/// Upgrades keep data. Data/Upgrades holds one small SQLite database per schema change, made by the code of that
/// time and named by its last migration. Each is migrated to the newest schema by starting the app on a copy, and
/// the app must then show the same people, chats, messages and read positions as before.
/// </summary>
public sealed class UpgradeTests
{
    public static TheoryData<string> CheckedInDatabases() => new(CheckedInFiles());

    private static IEnumerable<string> CheckedInFiles() =>
        Directory.GetFiles(UpgradeDatabase.Folder, "*.db").Select(path => Path.GetFileName(path)).Order();

    [Fact]
    public void EveryMigration_SinceTheFirstCheckedInDatabase_HasOneOfItsOwn()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var migrations = db.Database.GetMigrations().ToList();
        var databases = CheckedInFiles().Select(file => Path.GetFileNameWithoutExtension(file)).ToList();

        Assert.NotEmpty(databases);
        var first = migrations.IndexOf(databases[0]);
        Assert.True(first >= 0, $"{databases[0]}.db is not named after a SQLite migration.");
        Assert.Equal(migrations[first..], databases);
    }

    [Theory]
    [MemberData(nameof(CheckedInDatabases))]
    public async Task CheckedInDatabase_MigratesToTheNewestSchema_AndKeepsItsMeaning(string file)
    {
        await using var app = new DuckChatAppFactory();
        File.Copy(Path.Combine(UpgradeDatabase.Folder, file), Path.Combine(app.DataDirectory, "duckchat.db"));

        await UpgradeDatabase.AssertMeaningAsync(app, Path.GetFileNameWithoutExtension(file));
        await UpgradeDatabase.AssertItStillWorksAsync(app);
    }

    /// <summary>
    /// Writes the database for the newest migration with the code as it is now: run it once after adding a
    /// migration (<c>dotnet test --filter WriteDatabaseForTheNewestMigration -- xUnit.Explicit=only</c>), commit the file.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task WriteDatabaseForTheNewestMigration()
    {
        await using var app = new DuckChatAppFactory();
        await UpgradeDatabase.PopulateAsync(app);
        await using (var db = await app.CreateDbContextAsync())
        {
            var newest = (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).Last();
            await UpgradeDatabase.AssertMeaningAsync(app, newest);
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", TestContext.Current.CancellationToken);
            SqliteConnection.ClearAllPools();
            var target = Path.Combine(TestPaths.RepoRoot, "DuckChat.Tests", "Data", "Upgrades", $"{newest}.db");
            await using var source = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "duckchat.db")}");
            await using var copy = new SqliteConnection($"Data Source={target};Pooling=false");
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
        }
    }
}

/// <summary>The people and conversations every checked-in database holds, and what they must still mean after an upgrade.</summary>
public static class UpgradeDatabase
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "Upgrades");

    private const string ThumbsUp = "👍️";

    public static async Task PopulateAsync(DuckChatAppFactory app)
    {
        var alice = await app.CreateUserAsync("alice");
        var bob = await app.CreateUserAsync("bob");
        var carol = await app.CreateUserAsync("carol");
        var dave = await app.CreateUserAsync("dave");
        var erin = await app.CreateUserAsync("erin");
        await app.MakeAdminAsync(alice);
        await app.ServiceFor<UserAdministration>(alice).MakeAdminAsync(bob.Id);

        // A direct chat with an edit, a delete by the sender and a removal by an admin.
        var direct = (await app.ChatServiceFor(alice).OpenDirectChatAsync("bob")).ChatId;
        await SendAsync(app, alice, direct, "Hi bob");
        await SendAsync(app, bob, direct, "Hi alice 👋");
        var typo = await SendAsync(app, alice, direct, "typo mesage");
        var secret = await SendAsync(app, bob, direct, "secret");
        var rude = await SendAsync(app, alice, direct, "rude");
        Assert.True((await app.ServiceFor<MessageActions>(alice).EditAsync(direct, typo, "typo message")).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(bob).DeleteAsync(direct, secret)).Succeeded);
        Assert.True((await app.ServiceFor<ChatAdministration>(bob).RemoveMessageAsync(rude, "Rude")).Succeeded);

        // A renamed group with an added member and a member whose account is later deleted.
        var groups = app.ServiceFor<GroupService>(alice);
        var pond = (await groups.CreateAsync("Pond", [bob.Id, dave.Id])).ChatId;
        Assert.True((await groups.RenameAsync(pond, "Duck Pond")).Succeeded);
        Assert.True((await groups.AddMembersAsync(pond, [carol.Id])).Succeeded);
        await SendAsync(app, dave, pond, "quack from dave");
        await SendAsync(app, carol, pond, "hello pond");

        // Read positions: sending reads up to one's own message; bob has also read the group up to dave's message.
        await app.ReadUpToAsync(bob, pond, 4);

        Assert.True((await app.ServiceFor<UserAdministration>(alice).DeleteAsync(dave.Id, "Left the company")).Succeeded);
        Assert.True((await app.ServiceFor<UserAdministration>(alice).LockAsync(erin.Id, null, "Holiday")).Succeeded);

        // Since AccountSecurity: a sign-in (bob logged in through the log-in page).
        using var _ = await app.SignedInClientAsync("bob");

        // Since RichMessages: a reply, and reactions (each a change of the chat's, like the edit, the delete and the removal above).
        Assert.True((await app.ChatServiceFor(carol).SendAsync(pond, "replying to dave", Guid.NewGuid(), await FirstIdAsync(app, pond, "quack from dave"))).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(bob).ToggleReactionAsync(direct, typo, ThumbsUp)).Succeeded);
        Assert.True((await app.ServiceFor<MessageActions>(alice).ToggleReactionAsync(direct, typo, ThumbsUp)).Succeeded);

        // Since Attention: a mention of bob and of everyone, a muted chat, and a notification level.
        Assert.True((await app.ChatServiceFor(carol).SendAsync(pond, "@bob and @all: lunch?", Guid.NewGuid())).Succeeded);
        Assert.True((await app.ServiceFor<Web.Notifications.NotificationSettings>(bob).MuteAsync(direct, MuteLevel.ExceptMentions)).Succeeded);
        Assert.True((await app.ServiceFor<Web.Notifications.NotificationSettings>(carol).SetLevelAsync(NotifyLevel.All)).Succeeded);

        // Since Files: carol's image (with its thumbnail made) and text file in one message, and bob's upload not sent yet.
        // The database holds the files' rows and queued work; their bytes stay with the store, which a checked-in database has not.
        var image = await app.UploadAsync(carol, pond, "pond.png", TestImages.OnePixelPng);
        var notes = await app.UploadAsync(carol, pond, "notes.txt", "pond notes"u8.ToArray());
        Assert.True((await app.ChatServiceFor(carol).SendAsync(pond, "", Guid.NewGuid(), fileIds: [image.File!.Id, notes.File!.Id])).Succeeded);
        await Eventually.TrueAsync(async () =>
        {
            await app.Services.GetRequiredService<Web.Files.FileWorker>().DoDueAsync(TestContext.Current.CancellationToken);
            await using var db = await app.CreateDbContextAsync();
            return await db.Files.AnyAsync(f => f.Id == image.File.Id && f.Thumbnail == Web.Files.ThumbnailState.Ready, TestContext.Current.CancellationToken);
        }, because: "the image's thumbnail");
        Assert.NotNull((await app.UploadAsync(bob, pond, "draft.txt", "not sent yet"u8.ToArray())).File);

        // Since Search: CJK text and a link whose address the text does not show.
        await SendAsync(app, carol, pond, "明天的会议 [notes](http://internal.example/pond)");
    }

    /// <summary>A 1 × 1 PNG.</summary>

    /// <summary>What <paramref name="migration"/>'s database must still mean once the app has upgraded it.</summary>
    public static async Task AssertMeaningAsync(DuckChatAppFactory app, string migration)
    {
        var alice = await FindAsync(app, "alice");
        var bob = await FindAsync(app, "bob");
        var carol = await FindAsync(app, "carol");
        var erin = await FindAsync(app, "erin");
        Assert.Null(await FindOrNullAsync(app, "dave"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.CheckPasswordAsync(alice, DuckChatAppFactory.Password));
            Assert.True(await users.IsInRoleAsync(alice, AdminBootstrap.AdminRole));
            Assert.True(await users.IsInRoleAsync(bob, AdminBootstrap.AdminRole));
            Assert.False(await users.IsInRoleAsync(carol, AdminBootstrap.AdminRole));
            Assert.True(await users.IsLockedOutAsync(erin));
            Assert.False(await users.IsLockedOutAsync(bob));
            Assert.Equal("carol@example.test", carol.Email);
        }

        var aliceChats = await app.ChatServiceFor(alice).ListChatsAsync();
        Assert.Equal(["Duck Pond", "bob"], aliceChats.Select(c => c.Name));
        var pond = aliceChats[0].Id;
        var direct = aliceChats[1].Id;

        Assert.Equal(
            [
                (1L, "alice", "Hi bob", false, false, false),
                (2L, "bob", "Hi alice 👋", false, false, false),
                (3L, "alice", "typo message", true, false, false),
                (4L, "bob", "message deleted", false, true, false),
                (5L, "alice", "removed by an admin", false, true, true),
            ],
            (await app.ChatServiceFor(alice).GetHistoryAsync(direct))
            .Select(m => (m.Seq, m.SenderDisplayName, m.DisplayText, m.EditedAt is not null, m.Deleted, m.RemovedByAdmin)));

        // Since RichMessages the pond also holds carol's reply (checked below), after these.
        var rich = string.CompareOrdinal(migration, "20261203204446_RichMessages") >= 0;
        // Since Attention it also holds carol's mention of bob and everyone.
        var attention = string.CompareOrdinal(migration, "20261204") >= 0;
        // Since Files it also holds carol's message with two files.
        var files = string.CompareOrdinal(migration, "20261204052123_Files") >= 0;
        // Since Search it also holds carol's CJK message with a link.
        var search = string.CompareOrdinal(migration, "20261204123741_Search") >= 0;
        var pondLast = search ? 9 : files ? 8 : attention ? 7 : rich ? 6 : 5;
        var pondHistory = (await app.ChatServiceFor(carol).GetHistoryAsync(pond)).Take(5).ToList();
        Assert.Equal(
            [(MessageKind.System, "alice"), (MessageKind.System, "alice"), (MessageKind.System, "alice"), (MessageKind.Text, MessageView.DeletedUserName), (MessageKind.Text, "carol")],
            pondHistory.Select(m => (m.Kind, m.SenderDisplayName)));
        Assert.Equal(["quack from dave", "hello pond"], pondHistory.Where(m => m.Kind == MessageKind.Text).Select(m => m.Body));

        var header = await app.ChatServiceFor(carol).GetChatAsync(pond);
        Assert.NotNull(header);
        Assert.Equal([("alice", ChatRole.Owner), ("bob", ChatRole.Member), ("carol", ChatRole.Member)],
            header.Members.OrderBy(m => m.UserName).Select(m => (m.UserName, m.Role)));

        Assert.Equal((5, 4), ReadPosition(await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(direct), direct));
        Assert.Equal((5, 5), ReadPosition(await app.ServiceFor<ReadPositions>(alice).GetStatesAsync(direct), direct));
        Assert.Equal((pondLast, 4), ReadPosition(await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(pond), pond));
        Assert.Equal((pondLast, pondLast), ReadPosition(await app.ServiceFor<ReadPositions>(carol).GetStatesAsync(pond), pond));
        Assert.Equal((pondLast, 3), ReadPosition(await app.ServiceFor<ReadPositions>(alice).GetStatesAsync(pond), pond));

        await using var db = await app.CreateDbContextAsync();
        // Who did what to whom, and why: the audit log keeps its meaning too.
        Assert.Equal(
            [
                ("Delete user", "alice", (string?)"dave", "Left the company"),
                ("Lock user", "alice", "erin", "Holiday"),
                ("Make admin", "alice", "bob", null),
                ("Remove message", "bob", $"chat {direct}, #5 by alice", "Rude"),
            ],
            (await db.AuditEntries.OrderBy(e => e.Action).ToListAsync(TestContext.Current.CancellationToken))
            .Select(e => (e.Action, e.ActorName, e.TargetName, e.Reason)));

        // Every account has its look-alike key, whatever release of the data made it.
        var keys = await db.Users.Select(u => new { u.UserName, u.UserNameSkeleton }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(keys, u => Assert.Equal(UserNameSkeleton.Of(u.UserName!), u.UserNameSkeleton));

        if (rich)
        {
            var typo = (await app.ChatServiceFor(bob).GetHistoryAsync(direct)).Single(m => m.Seq == 3);
            Assert.Equal([(ThumbsUp, 2)], typo.Reactions.Select(r => (r.Emoji, r.Count)));
            Assert.Equal(["bob", "alice"], typo.Reactions[0].Names);
            Assert.Equal(5, (await app.ChatServiceFor(bob).GetChatAsync(direct))!.LastChangeSeq);
            var reply = (await app.ChatServiceFor(carol).GetHistoryAsync(pond)).Single(m => m.Body == "replying to dave");
            Assert.Equal((MessageView.DeletedUserName, "quack from dave", false), (reply.ReplyTo!.SenderDisplayName, reply.ReplyTo.Excerpt, reply.ReplyTo.Gone));
        }

        if (attention)
        {
            var lunch = (await app.ChatServiceFor(alice).GetHistoryAsync(pond)).Single(m => m.Seq == 7);
            Assert.Equal([((string?)bob.Id, "bob", MentionKind.Person), (null, "all", MentionKind.All)], lunch.Mentions.Select(m => (m.UserId, m.Name, m.Kind)).OrderBy(m => m.Kind));
            var bobsPond = (await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(pond))[pond];
            Assert.True(bobsPond.MentionUnread);
            Assert.Equal(MuteLevel.ExceptMentions, (await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(direct))[direct].Mute);
            Assert.Equal(MuteLevel.None, bobsPond.Mute);
            Assert.True((await app.ServiceFor<ReadPositions>(alice).GetStatesAsync(pond))[pond].MentionUnread);
            Assert.False((await app.ServiceFor<ReadPositions>(carol).GetStatesAsync(pond))[pond].MentionUnread);
            Assert.Equal(NotifyLevel.All, await app.ServiceFor<Web.Notifications.NotificationSettings>(carol).GetLevelAsync());
            Assert.Equal(NotifyLevel.DirectAndMentions, await app.ServiceFor<Web.Notifications.NotificationSettings>(bob).GetLevelAsync());
        }

        if (files)
        {
            var sent = (await app.ChatServiceFor(bob).GetHistoryAsync(pond)).Single(m => m.Seq == 8);
            Assert.Equal(("carol", ""), (sent.SenderDisplayName, sent.Body));
            Assert.Equal([("pond.png", 70L, true, true, (int?)1), ("notes.txt", 10L, false, false, null)],
                sent.Files.Select(f => (f.Name, f.Size, f.Inline, f.ThumbnailReady, f.Width)));
            // The stored hash is the download's ETag: it still names the same bytes.
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("pond notes"u8)),
                (await db.Files.SingleAsync(f => f.Name == "notes.txt", TestContext.Current.CancellationToken)).Hash);
            var draft = await db.Files.SingleAsync(f => f.Name == "draft.txt", TestContext.Current.CancellationToken);
            Assert.Equal((bob.Id, (long?)null, Web.Files.FileState.Stored), (draft.UploaderId, draft.MessageId, draft.State));
            Assert.True(await db.FileWork.AnyAsync(w => w.FileId == draft.Id && w.Kind == Web.Files.FileWorkKind.Expire, TestContext.Current.CancellationToken));
            Assert.Equal(12L, await Web.Files.FileRecords.UsedByAsync(db, bob.Id));
        }

        // Whatever release saved them, messages are searchable by their text once the start-up backfill is done:
        // edited ones by their new text only, deleted, removed and system ones never.
        await Eventually.TrueAsync(() => Task.FromResult(app.Services.GetRequiredService<SearchIndexBackfill>().IsDone), because: "the search backfill");
        var messages = await db.Messages.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(messages, m => Assert.Equal(SearchText.ForIndex(m.Body, m.Kind, m.DeletedAt != null), m.SearchText));
        await Search.SearchIndexTests.AssertIndexMatchesMessagesAsync(app);
        Assert.Single(await MatchAsync(db, "typo message"));
        Assert.Empty(await MatchAsync(db, "mesage"));
        Assert.Single(await MatchAsync(db, "QUACK from"));
        Assert.Empty(await MatchAsync(db, "secret"));
        Assert.Empty(await MatchAsync(db, "rude"));
        Assert.Empty(await MatchAsync(db, "added"));
        if (search)
        {
            var cjk = (await app.ChatServiceFor(bob).GetHistoryAsync(pond)).Single(m => m.Seq == 9);
            Assert.Equal(("carol", "明天的会议 [notes](http://internal.example/pond)"), (cjk.SenderDisplayName, cjk.Body));
            Assert.Single(await MatchAsync(db, "会议" + SearchText.BigramMark));
            Assert.Single(await MatchAsync(db, "ttp://internal.example/po"));
        }

        if (string.CompareOrdinal(migration, "20261203133829_AccountSecurity") >= 0)
        {
            var bobsSignIns = await db.SignIns.Where(s => s.UserId == bob.Id).Select(s => s.Id).ToListAsync(TestContext.Current.CancellationToken);
            Assert.NotEmpty(bobsSignIns);
            foreach (var signIn in bobsSignIns)
            {
                var who = new SignedInUser(bob.Id, "bob", bob.SecurityStamp, signIn);
                Assert.True(who.MayAct(await AccountState.LoadAsync(db, who), DateTimeOffset.UtcNow));
            }
        }
    }

    /// <summary>The upgraded database takes new messages: the next Seq, and the sender's read position with it.</summary>
    public static async Task AssertItStillWorksAsync(DuckChatAppFactory app)
    {
        var alice = await FindAsync(app, "alice");
        var pond = (await app.ChatServiceFor(alice).ListChatsAsync())[0].Id;

        var (last, _) = ReadPosition(await app.ServiceFor<ReadPositions>(alice).GetStatesAsync(pond), pond);

        var sent = await app.ChatServiceFor(alice).SendAsync(pond, "after the upgrade", Guid.NewGuid());

        Assert.True(sent.Succeeded, sent.Error);
        Assert.Equal(last + 1, sent.Message!.Seq);
        Assert.Equal((last + 1, last + 1), ReadPosition(await app.ServiceFor<ReadPositions>(alice).GetStatesAsync(pond), pond));
        Assert.Equal((last + 1, 4), ReadPosition(await app.ServiceFor<ReadPositions>(await FindAsync(app, "bob")).GetStatesAsync(pond), pond));
    }

    private static Task<List<long>> MatchAsync(ChatDbContext db, string text) => Search.SearchIndexTests.MatchAsync(db, text);

    private static (long LastSeq, long LastReadSeq) ReadPosition(Dictionary<int, ReadState> states, int chatId) =>
        (states[chatId].LastSeq, states[chatId].LastReadSeq);

    private static async Task<long> FirstIdAsync(DuckChatAppFactory app, int chatId, string body)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Messages.Where(m => m.ChatId == chatId && m.Body == body).Select(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<long> SendAsync(DuckChatAppFactory app, ApplicationUser user, int chatId, string body)
    {
        var sent = await app.ChatServiceFor(user).SendAsync(chatId, body, Guid.NewGuid());
        Assert.True(sent.Succeeded, sent.Error);
        return sent.Message!.Id;
    }

    private static async Task<ApplicationUser> FindAsync(DuckChatAppFactory app, string userName) =>
        await FindOrNullAsync(app, userName) ?? throw new Xunit.Sdk.XunitException($"{userName} is missing after the upgrade.");

    private static async Task<ApplicationUser?> FindOrNullAsync(DuckChatAppFactory app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName);
    }
}
