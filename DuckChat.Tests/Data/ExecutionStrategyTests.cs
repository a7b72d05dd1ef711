using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Data;

/// <summary>
/// Every write that needs a transaction runs inside the provider's execution strategy. SQL Server's retrying
/// strategy (EnableRetryOnFailure) refuses a transaction begun outside it; no SQL Server runs here, so the same
/// rule is checked on SQLite with a retrying strategy of the same kind.
/// </summary>
public sealed class ExecutionStrategyTests(RetryingStrategyAppFactory app) : IClassFixture<RetryingStrategyAppFactory>
{
    [Fact]
    public async Task TransactionalWrites_RunAsRetriableUnits_UnderARetryingStrategy()
    {
        var alice = await app.CreatePersonAsync("strategy-alice");
        var bob = await app.CreatePersonAsync("strategy-bob");
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure); // the rule under test applies
        }

        var direct = await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!);
        var sent = await app.ChatServiceFor(alice).SendAsync(direct.ChatId, "hello", Guid.NewGuid());
        var groups = app.ServiceFor<GroupService>(alice);
        var group = await groups.CreateAsync("strategy group", [bob.Id]);
        var renamed = await groups.RenameAsync(group.ChatId, "renamed group");
        await app.ReadUpToAsync(bob, direct.ChatId, 1);
        var left = await app.ServiceFor<GroupService>(bob).LeaveAsync(group.ChatId);
        await app.MakeAdminAsync(alice);
        var deleted = await app.ServiceFor<ChatAdministration>(alice).DeleteChatAsync(group.ChatId, "cleaning up a test");

        Assert.True(sent.Succeeded, sent.Error);
        Assert.True(group.Succeeded, group.Error);
        Assert.True(renamed.Succeeded, renamed.Error);
        Assert.True(left.Succeeded, left.Error);
        Assert.True(deleted.Succeeded, deleted.Error);
        Assert.Equal(0, (await app.ServiceFor<ReadPositions>(bob).GetStatesAsync(direct.ChatId))[direct.ChatId].Unread);
    }

    [Fact]
    public async Task AdminActions_RetriedAfterABusyWrite_AreAppliedAndAuditedOnce()
    {
        var admin = await app.CreateAdminAsync("strategy-admin");
        var owner = await app.CreatePersonAsync("strategy-owner");
        var member = await app.CreatePersonAsync("strategy-member");
        var groupId = (await app.ServiceFor<GroupService>(owner).CreateAsync("strategy heirs", [member.Id])).ChatId;
        var users = app.ServiceFor<UserAdministration>(admin);

        app.Faults.FailNextWritesAsBusy(1);
        var locked = await users.LockAsync(member.Id, null, "retried");
        app.Faults.FailNextWritesAsBusy(1);
        var deleted = await users.DeleteAsync(owner.Id, "retried");

        Assert.True(locked.Succeeded, locked.Error);
        Assert.True(deleted.Succeeded, deleted.Error);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(["Lock user", "Delete user"], await db.AuditEntries.Where(e => e.Reason == "retried").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ChatRole.Owner, (await db.ChatMembers.SingleAsync(m => m.ChatId == groupId, TestContext.Current.CancellationToken)).Role);
        Assert.Equal(1, await db.Messages.CountAsync(m => m.ChatId == groupId && m.Body.StartsWith("left the group"), TestContext.Current.CancellationToken));
        Assert.NotNull((await db.Users.SingleAsync(u => u.Id == member.Id, TestContext.Current.CancellationToken)).LockoutEnd);
    }
}

/// <summary>The app on SQLite with a retrying execution strategy, as EnableRetryOnFailure gives SQL Server.</summary>
public sealed class RetryingStrategyAppFactory : DuckChatAppFactory
{
    /// <summary>Makes the next writes fail as busy, the failure the strategy retries.</summary>
    public FaultInjector Faults { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<SqliteChatDbContext>((_, options) =>
            options.UseSqlite(sqlite => sqlite.ExecutionStrategy(dependencies => new RetryingOnBusy(dependencies))).AddInterceptors(Faults)));
    }

    private sealed class RetryingOnBusy(ExecutionStrategyDependencies dependencies) : ExecutionStrategy(dependencies, 3, TimeSpan.FromSeconds(1))
    {
        protected override bool ShouldRetryOn(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 };
    }
}
