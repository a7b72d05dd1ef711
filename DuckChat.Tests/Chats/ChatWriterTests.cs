using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Chats;

/// <summary>The one writer: sends queued together commit together, each caller told its own outcome, and nothing is lost on stopping.</summary>
public sealed class ChatWriterTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueuedWorkWithOneFailure_TheOthersAreSaved_AndOnlyTheFailingCallerIsTold()
    {
        var (alice, chatId) = await ChatAsync("fail");
        using var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services);
        var sender = await app.ServiceFor<CurrentUser>(alice).GetClaimedAsync();

        // Queued before the loop starts, so they are taken as one batch.
        var first = writer.AppendAsync(new AppendRequest(sender, chatId, MessageKind.Text, "one", Guid.NewGuid()));
        var failing = writer.ChangeReadPositionAsync<int>(alice.Id, chatId, _ => throw new InvalidOperationException("this one fails"));
        var second = writer.AppendAsync(new AppendRequest(sender, chatId, MessageKind.Text, "two", Guid.NewGuid()));
        await writer.StartAsync(Ct);

        Assert.NotNull(await first);
        Assert.NotNull(await second);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(["one", "two"], await TextsAsync(chatId));
        await writer.StopAsync(Ct);
    }

    [Fact]
    public async Task StoppingWithSendsQueued_EachIsSavedInOrder_AndLaterOnesAreRefused()
    {
        var (alice, chatId) = await ChatAsync("stop");
        using var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services);
        var sender = await app.ServiceFor<CurrentUser>(alice).GetClaimedAsync();
        var queued = Enumerable.Range(0, 20)
            .Select(i => writer.AppendAsync(new AppendRequest(sender, chatId, MessageKind.Text, $"q{i}", Guid.NewGuid()))).ToList();

        await writer.StopAsync(Ct); // never started: stopping still writes what was queued

        var saved = await Task.WhenAll(queued);
        Assert.All(saved, Assert.NotNull);
        Assert.Equal(Enumerable.Range(2, 20).Select(seq => (long)seq), saved.Select(a => a!.Seq)); // after the system line
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"q{i}"), await TextsAsync(chatId));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.AppendAsync(new AppendRequest(sender, chatId, MessageKind.Text, "late", Guid.NewGuid())));
    }

    [Fact]
    public async Task RepeatedClientMessageIdInOneBatch_ReturnsTheFirstMessage_WithoutFailingTheOthers()
    {
        var (alice, chatId) = await ChatAsync("dup");
        var chats = app.ChatServiceFor(alice);
        var repeated = Guid.NewGuid();

        var results = await Task.WhenAll(
            chats.SendAsync(chatId, "once", repeated),
            chats.SendAsync(chatId, "other", Guid.NewGuid()),
            chats.SendAsync(chatId, "once", repeated));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(results[0].Message!.Id, results[2].Message!.Id);
        Assert.Equal(2, (await TextsAsync(chatId)).Count);
    }

    [Fact]
    public async Task RevocationOnAnotherInstance_RacingSends_NoMessageIsSavedAfterIt()
    {
        var (alice, chatId) = await ChatAsync("race");
        var admin = await app.CreatePersonAsync("race-admin");
        await app.MakeAdminAsync(admin);
        // A second instance on the same database file.
        await using var other = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Database:ConnectionString"] = $"Data Source={Path.Combine(app.DataDirectory, "duckchat.db")}",
        });
        other.StartServer();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var chats = app.ChatServiceFor(alice);
        var sending = Task.Run(async () =>
        {
            var refused = 0;
            for (var i = 0; refused < 5 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await chats.SendAsync(chatId, $"r{i}", Guid.NewGuid());
                }
                catch (SignedOutException)
                {
                    refused++;
                }
            }
        }, Ct);
        await Eventually.TrueAsync(async () => (await TextsAsync(chatId)).Count >= 5, because: "sends to be under way");

        Assert.True((await other.ServiceFor<UserAdministration>(admin).LockAsync(alice.Id, null, "racing")).Succeeded);
        var savedWhenLocked = (await TextsAsync(chatId)).Count;
        await sending.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(savedWhenLocked, (await TextsAsync(chatId)).Count);
    }

    [Theory]
    [InlineData("Full", 2)]
    [InlineData("Normal", 1)]
    public async Task Synchronous_IsWhatTheSettingSays_OnEveryConnection(string setting, long pragma)
    {
        await using var configured = DuckChatAppFactory.WithSettings(new Dictionary<string, string?> { ["DuckChat:Database:Synchronous"] = setting });
        await using var db = await configured.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";

        Assert.Equal(pragma, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task ChatsAndGroupChanges_AreWrittenByTheWriter_SoAStoppedOneRefusesThem_AndNothingChanges()
    {
        // Arrange: a writer already stopped, which every change here must go through
        var (alice, chatId) = await ChatAsync("stopped");
        var carol = await app.CreatePersonAsync("stopped-carol");
        var admin = await app.CreateAdminAsync("stopped-admin");
        using var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services);
        await writer.StopAsync(Ct);
        var groups = app.ServiceFor<GroupService>(alice, null, writer);

        // Act and assert: each is refused by the writer
        await Assert.ThrowsAsync<ObjectDisposedException>(() => groups.CreateAsync("stopped other", [carol.Id]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => groups.RenameAsync(chatId, "stopped renamed"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => groups.AddMembersAsync(chatId, [carol.Id]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => groups.LeaveAsync(chatId));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => app.ServiceFor<ChatAdministration>(admin, null, writer).DeleteChatAsync(chatId, "spam"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => app.ServiceFor<ChatService>(alice, null, writer).OpenDirectChatAsync("stopped-carol"));

        // Assert: nothing was written
        await using var db = await app.CreateDbContextAsync();
        var group = await db.Chats.Where(c => c.Id == chatId).Select(c => new { c.Name, Members = c.Members.Count }).SingleAsync(Ct);
        Assert.Equal(("stopped group", 2), (group.Name, group.Members));
        Assert.Equal(1, await db.Messages.CountAsync(m => m.ChatId == chatId, Ct));
        Assert.Equal(1, await db.ChatMembers.CountAsync(m => m.UserId == alice.Id, Ct));
        Assert.Equal(0, await db.ChatMembers.CountAsync(m => m.UserId == carol.Id, Ct));
    }

    private async Task<(ApplicationUser Alice, int ChatId)> ChatAsync(string prefix)
    {
        var alice = await app.CreatePersonAsync($"{prefix}-alice");
        var bob = await app.CreatePersonAsync($"{prefix}-bob");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync($"{prefix} group", [bob.Id]);
        Assert.True(created.Succeeded, created.Error);
        return (alice, created.ChatId);
    }

    private async Task<List<string>> TextsAsync(int chatId)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Messages.Where(m => m.ChatId == chatId && m.Kind == MessageKind.Text).OrderBy(m => m.Seq).Select(m => m.Body).ToListAsync(Ct);
    }
}
