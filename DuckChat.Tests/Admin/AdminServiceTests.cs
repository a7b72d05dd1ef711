using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Admin;

/// <summary>
/// The admin services on the real app. An action and its audit entry are kept together or not at all, whatever the
/// admin's tab did before, whatever Identity or the database says, and however two admins' actions meet.
/// </summary>
public sealed class AdminServiceTests(FaultsAndRacesAppFactory app) : IClassFixture<FaultsAndRacesAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAdminOperation_RefusesAPlainUser_AndWritesNothing()
    {
        var plain = await app.CreatePersonAsync("plain-user");
        var victim = await app.CreatePersonAsync("plain-victim");
        var users = app.ServiceFor<UserAdministration>(plain);
        var chats = app.ServiceFor<ChatAdministration>(plain);
        var audit = app.ServiceFor<AuditLog>(plain);
        await using var before = await app.CreateDbContextAsync();
        var auditCount = await before.AuditEntries.CountAsync(Ct);

        Func<Task>[] operations =
        [
            () => users.QueryAsync(null, UserSort.UserName, false, 0, 10),
            () => users.LockAsync(victim.Id, null, "no"),
            () => users.UnlockAsync(victim.Id),
            () => users.MakeAdminAsync(plain.Id),
            () => users.RemoveAdminAsync(victim.Id, "no"),
            () => users.CreateResetLinkAsync(victim.Id, "http://localhost"),
            () => users.DeleteAsync(victim.Id, "no"),
            () => chats.QueryChatsAsync(null, 0, 10),
            () => chats.GetMembersAsync(1),
            () => chats.DeleteChatAsync(1, "no"),
            () => chats.SearchMessagesAsync(null, null, null, 0, 10),
            () => chats.RemoveMessageAsync(1, "no"),
            () => audit.QueryAsync(null, 0, 10),
        ];

        foreach (var operation in operations)
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(operation);
        }

        await using var after = await app.CreateDbContextAsync();
        Assert.Equal(auditCount, await after.AuditEntries.CountAsync(Ct));
        Assert.False(await after.UserRoles.AnyAsync(r => r.UserId == plain.Id, Ct));
    }

    [Fact]
    public async Task Lock_SignsTheUserOutAtOnce_RefusesTheirNextSend_AndTheirLogIn()
    {
        var (admin, _) = await AdminAsync("lock");
        var bob = await app.CreatePersonAsync("lock-bob");
        await app.CreatePersonAsync("lock-carol");
        var chatId = (await app.ChatServiceFor(bob).OpenDirectChatAsync("lock-carol")).ChatId;
        var bus = new RecordingBus();

        var result = await app.ServiceFor<UserAdministration>(admin, bus).LockAsync(bob.Id, null, "spamming");

        Assert.True(result.Succeeded, result.Error);
        await Assert.ThrowsAsync<SignedOutException>(() => app.ChatServiceFor(bob).SendAsync(chatId, "still here?", Guid.NewGuid()));
        Assert.Contains(bus.Published, p => p.Topic == Topics.User(bob.Id) && p.Event is AccountSignedOut);
        await using var scope = app.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var locked = (await signIn.UserManager.FindByIdAsync(bob.Id))!;
        Assert.NotEqual(bob.SecurityStamp, locked.SecurityStamp);
        Assert.True(await signIn.UserManager.IsLockedOutAsync(locked));
        await using var db = await app.CreateDbContextAsync();
        var entry = await db.AuditEntries.OrderBy(e => e.Id).LastAsync(Ct);
        Assert.Equal(("Lock user", "lock-bob", "spamming", "lock-admin"), (entry.Action, entry.TargetName, entry.Reason, entry.ActorName));
    }

    [Fact]
    public async Task Admin_CannotLockDemoteOrDeleteThemself_AndDestructiveActionsNeedAReason()
    {
        var (admin, _) = await AdminAsync("self");
        var other = await app.CreatePersonAsync("self-other");
        var users = app.ServiceFor<UserAdministration>(admin);

        Assert.Equal("You cannot do that to your own account.", (await users.LockAsync(admin.Id, null, "x")).Error);
        Assert.Equal("You cannot do that to your own account.", (await users.RemoveAdminAsync(admin.Id, "x")).Error);
        Assert.Equal("You cannot do that to your own account.", (await users.DeleteAsync(admin.Id, "x")).Error);
        Assert.Equal("Give a reason: it is kept in the audit log.", (await users.LockAsync(other.Id, null, " ")).Error);
        Assert.Equal("Give a reason: it is kept in the audit log.", (await users.DeleteAsync(other.Id, "")).Error);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().IsLockedOutAsync((await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(other.Id))!));
    }

    [Fact]
    public async Task LastAdmin_CannotBeDeletedOrDemoted_ByAnyRoute()
    {
        var lone = await app.CreatePersonAsync("only-admin-check");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var rules = scope.ServiceProvider.GetRequiredService<LastAdminRule>();
        foreach (var admin in await users.GetUsersInRoleAsync(AdminBootstrap.AdminRole))
        {
            await users.RemoveFromRoleAsync(admin, AdminBootstrap.AdminRole);
        }

        await app.MakeAdminAsync(lone);

        Assert.Equal("This is the last admin account. Make another person an admin before deleting it.",
            await rules.WhyNotDeletableAsync((await users.FindByIdAsync(lone.Id))!));
        var second = await app.CreatePersonAsync("second-admin-check");
        await app.MakeAdminAsync(second);
        Assert.Null(await rules.WhyNotDeletableAsync((await users.FindByIdAsync(lone.Id))!));
        Assert.True((await app.ServiceFor<UserAdministration>(second).RemoveAdminAsync(lone.Id, "handover")).Succeeded);
        Assert.Equal("This is the last admin account. Make another person an admin before deleting it.",
            await rules.WhyNotDeletableAsync((await users.FindByIdAsync(second.Id))!));
    }

    [Fact]
    public async Task UserActions_AreAudited_WithTheReasonForDestructiveOnes()
    {
        var (admin, _) = await AdminAsync("aud");
        var target = await app.CreatePersonAsync("aud-target");
        var users = app.ServiceFor<UserAdministration>(admin);

        Assert.True((await users.LockAsync(target.Id, DateTimeOffset.UtcNow.AddHours(1), "cool off")).Succeeded);
        Assert.True((await users.UnlockAsync(target.Id)).Succeeded);
        Assert.True((await users.MakeAdminAsync(target.Id)).Succeeded);
        Assert.True((await users.RemoveAdminAsync(target.Id, "temporary")).Succeeded);
        var link = await users.CreateResetLinkAsync(target.Id, "http://duckchat.test");
        Assert.True((await users.DeleteAsync(target.Id, "left the team")).Succeeded);

        Assert.StartsWith("http://duckchat.test/Identity/Account/ResetPassword?code=", link.Link);
        var entries = (await app.ServiceFor<AuditLog>(admin).QueryAsync("aud-target", 0, 50)).Items.Reverse().ToList();
        Assert.Equal(
            ["Lock user", "Unlock user", "Make admin", "Remove admin", "Create password reset link", "Delete user"],
            entries.Select(e => e.Action));
        Assert.Equal(["cool off", null, null, "temporary", null, "left the team"], entries.Select(e => e.Reason));
        Assert.All(entries, e => Assert.Equal("aud-admin", e.ActorName));
    }

    [Fact]
    public async Task DeletedUser_IsGone_TheirMessagesStayFromADeletedUser()
    {
        var (admin, _) = await AdminAsync("del");
        var doomed = await app.CreatePersonAsync("del-doomed");
        var friend = await app.CreatePersonAsync("del-friend");
        var chatId = (await app.ChatServiceFor(doomed).OpenDirectChatAsync("del-friend")).ChatId;
        await app.ChatServiceFor(doomed).SendAsync(chatId, "so long", Guid.NewGuid());

        Assert.True((await app.ServiceFor<UserAdministration>(admin).DeleteAsync(doomed.Id, "asked to leave")).Succeeded);

        var history = await app.ChatServiceFor(friend).GetHistoryAsync(chatId);
        Assert.Equal("deleted user", Assert.Single(history).SenderDisplayName);
        Assert.Equal("so long", history[0].Body);
        Assert.Equal("deleted user", (await app.ChatServiceFor(friend).GetChatAsync(chatId))!.Name);
    }

    [Fact]
    public async Task DeletingAGroupOwner_HandsEachGroupToItsLongestStandingMember_WithTheSystemLine()
    {
        var (admin, _) = await AdminAsync("heir");
        var owner = await app.CreatePersonAsync("heir-owner");
        var elder = await app.CreatePersonAsync("heir-elder");
        var newer = await app.CreatePersonAsync("heir-newer");
        var groups = app.ServiceFor<GroupService>(owner);
        var shared = (await groups.CreateAsync("heir group", [newer.Id, elder.Id])).ChatId;
        var alone = (await groups.CreateAsync("heir solo", [])).ChatId;
        await using (var db = await app.CreateDbContextAsync())
        {
            var joined = DateTime.UtcNow;
            await db.ChatMembers.Where(m => m.ChatId == shared && m.UserId == elder.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, joined.AddHours(-2)), Ct);
            await db.ChatMembers.Where(m => m.ChatId == shared && m.UserId == newer.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, joined.AddHours(-1)), Ct);
        }

        var bus = new RecordingBus();

        var deleted = await app.ServiceFor<UserAdministration>(admin, bus).DeleteAsync(owner.Id, "left the company");

        Assert.True(deleted.Succeeded, deleted.Error);
        var header = (await app.ChatServiceFor(elder).GetChatAsync(shared))!;
        Assert.True(header.IAmOwner);
        Assert.Equal(2, header.Members.Count);
        Assert.Equal(ChatRole.Member, header.Members.Single(m => m.UserId == newer.Id).Role);
        var line = (await app.ChatServiceFor(elder).GetHistoryAsync(shared))[^1];
        Assert.Equal("deleted user left the group; heir-elder is now the owner", line.DisplayText);
        Assert.Contains(bus.Published, p => p.Topic == Topics.User(newer.Id) && p.Event is MessagePosted posted && posted.Message == line);
        Assert.Contains(bus.Published, p => p.Topic == Topics.Chat(shared) && p.Event is ChatChanged);
        Assert.True((await app.ServiceFor<GroupService>(elder).RenameAsync(shared, "heir group, renamed")).Succeeded);
        await using var check = await app.CreateDbContextAsync();
        Assert.False(await check.Chats.AnyAsync(c => c.Id == alone, Ct));
    }

    [Fact]
    public async Task RemoveMessage_ReplacesItForEveryone_AndDeleteChat_ClosesItForMembers()
    {
        var (admin, _) = await AdminAsync("mod");
        var alice = await app.CreatePersonAsync("mod-alice");
        await app.CreatePersonAsync("mod-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync("mod-bob")).ChatId;
        var bad = (await app.ChatServiceFor(alice).SendAsync(chatId, "something nasty", Guid.NewGuid())).Message!;
        var bus = new RecordingBus();
        var moderation = app.ServiceFor<ChatAdministration>(admin, bus);

        var found = await moderation.SearchMessagesAsync("nasty", "MOD-ALICE", chatId, 0, 10);
        var removed = await moderation.RemoveMessageAsync(bad.Id, "abuse");

        Assert.Equal(bad.Id, Assert.Single(found.Items).Id);
        Assert.True(removed.Succeeded);
        Assert.Equal("removed by an admin", (await app.ChatServiceFor(alice).GetHistoryAsync(chatId))[^1].DisplayText);
        Assert.Contains(bus.Published, p => p.Topic == Topics.Chat(chatId) && p.Event is MessageChanged { Message.RemovedByAdmin: true });

        Assert.True((await moderation.DeleteChatAsync(chatId, "whole thread was abuse")).Succeeded);
        Assert.Null(await app.ChatServiceFor(alice).GetChatAsync(chatId));
        Assert.Contains(bus.Published, p => p.Topic == Topics.User(alice.Id) && p.Event is ChatDeleted);
        var log = (await app.ServiceFor<AuditLog>(admin).QueryAsync(null, 0, 10)).Items;
        Assert.Equal(["Delete chat", "Remove message", "Read messages"], log.Take(3).Select(e => e.Action));
        Assert.Contains("text: nasty", log[2].Details);
    }

    [Fact]
    public async Task AuditEntries_CannotBeChangedOrDeleted()
    {
        var (admin, _) = await AdminAsync("app");
        await app.ServiceFor<UserAdministration>(admin).QueryAsync(null, UserSort.UserName, false, 0, 5);
        await app.ServiceFor<ChatAdministration>(admin).SearchMessagesAsync("x", null, null, 0, 5);
        await using var db = await app.CreateDbContextAsync();
        var entry = await db.AuditEntries.FirstAsync(Ct);

        entry.Reason = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task AccountChangedElsewhereSinceTheTabsLastAction_LockIsAppliedAndAudited()
    {
        var (_, users) = await AdminAsync("stale");
        var bob = await app.CreatePersonAsync("stale-bob");
        Assert.True((await users.UnlockAsync(bob.Id)).Succeeded); // the tab has now seen bob's account
        await using (var elsewhere = app.Services.CreateAsyncScope())
        {
            var manager = elsewhere.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await manager.SetEmailAsync((await manager.FindByIdAsync(bob.Id))!, "stale-bob@elsewhere.test")).Succeeded);
        }

        var locked = await users.LockAsync(bob.Id, null, "spamming");

        Assert.True(locked.Succeeded, locked.Error);
        Assert.True(await IsLockedAsync(bob));
        Assert.Equal(["Unlock user", "Lock user"], await AuditedActionsAsync(bob));
        Assert.True((await users.UnlockAsync(bob.Id)).Succeeded);
        Assert.False(await IsLockedAsync(bob));
    }

    [Fact]
    public async Task IdentityRefusesTheChange_TheAdminIsToldWhy_AndNothingIsAudited()
    {
        var (_, users) = await AdminAsync("refuse");
        var bob = await app.CreatePersonAsync("refuse-bob");
        app.RefusedUpdates[bob.Id] = true;
        try
        {
            var locked = await users.LockAsync(bob.Id, null, "spamming");
            var promoted = await users.MakeAdminAsync(bob.Id);

            Assert.Equal(FaultsAndRacesAppFactory.RefusalText, locked.Error);
            Assert.Equal(FaultsAndRacesAppFactory.RefusalText, promoted.Error);
        }
        finally
        {
            app.RefusedUpdates.TryRemove(bob.Id, out _);
        }

        Assert.False(await IsLockedAsync(bob));
        Assert.Empty(await AuditedActionsAsync(bob));
    }

    [Fact]
    public async Task ReasonLongerThanTheAuditColumn_IsRefusedBeforeAnythingIsDone()
    {
        var (_, users) = await AdminAsync("long");
        var bob = await app.CreatePersonAsync("long-bob");
        await app.MakeAdminAsync(bob);
        await app.CreatePersonAsync("long-carol");
        var chatId = (await app.ChatServiceFor(bob).OpenDirectChatAsync("long-carol")).ChatId;
        var message = (await app.ChatServiceFor(bob).SendAsync(chatId, "keep me", Guid.NewGuid())).Message!;
        var chats = app.ServiceFor<ChatAdministration>(await app.CreateAdminAsync("long-mod"));
        await using var before = await app.CreateDbContextAsync();
        var audited = await before.AuditEntries.CountAsync(Ct);
        var tooLong = new string('x', AuditEntry.ReasonMaxLength + 1);

        AdminResult[] results =
        [
            await users.LockAsync(bob.Id, null, tooLong),
            await users.RemoveAdminAsync(bob.Id, tooLong),
            await users.DeleteAsync(bob.Id, tooLong),
            await chats.RemoveMessageAsync(message.Id, tooLong),
            await chats.DeleteChatAsync(chatId, tooLong),
        ];

        Assert.All(results, r => Assert.Equal("A reason has at most 1,000 characters.", r.Error));
        Assert.False(await IsLockedAsync(bob));
        await using var after = await app.CreateDbContextAsync();
        Assert.Equal(audited, await after.AuditEntries.CountAsync(Ct));
        Assert.True(await after.UserRoles.AnyAsync(r => r.UserId == bob.Id, Ct));
        Assert.Equal("keep me", (await app.ChatServiceFor(bob).GetHistoryAsync(chatId)).Single().Body);
        var longest = new string('y', AuditEntry.ReasonMaxLength);
        Assert.True((await users.LockAsync(bob.Id, null, longest)).Succeeded);
        Assert.Equal(longest, (await after.AuditEntries.OrderBy(e => e.Id).LastAsync(Ct)).Reason);
    }

    [Fact]
    public async Task AuditEntryCannotBeWritten_TheActionIsRolledBack()
    {
        var (_, users) = await AdminAsync("rollback");
        var bob = await app.CreatePersonAsync("rollback-bob");
        app.Faults.FailQueriesContaining = "INSERT INTO \"AuditEntries\"";
        try
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => users.LockAsync(bob.Id, null, "spamming"));
            await Assert.ThrowsAsync<DbUpdateException>(() => users.DeleteAsync(bob.Id, "spamming"));
        }
        finally
        {
            app.Faults.FailQueriesContaining = null;
        }

        await using var db = await app.CreateDbContextAsync();
        var after = await db.Users.SingleAsync(u => u.Id == bob.Id, Ct);
        Assert.Null(after.LockoutEnd);
        Assert.Equal(bob.SecurityStamp, after.SecurityStamp);
        Assert.Empty(await AuditedActionsAsync(bob));
    }

    [Fact]
    public async Task LastTwoAdminsDemoteEachOtherAtOnce_OneIsRefused_AndOneAdminRemains()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var other in await manager.GetUsersInRoleAsync(AdminBootstrap.AdminRole))
            {
                Assert.True((await manager.RemoveFromRoleAsync(other, AdminBootstrap.AdminRole)).Succeeded);
            }
        }

        var ann = await app.CreateAdminAsync("race-ann");
        var ben = await app.CreateAdminAsync("race-ben");
        var annUsers = app.ServiceFor<UserAdministration>(ann);
        var benUsers = app.ServiceFor<UserAdministration>(ben);
        // Each demotion's role removal waits until the other has begun writing: a check made before writing then
        // sees what the other saw, as when two clicks land together.
        app.Race.Start(["ann", "ben"], holdCommandsContaining: "DELETE FROM \"AspNetUserRoles\"");
        AdminResult[] results;
        try
        {
            results = await Task.WhenAll(
                RaceGate.RunAsAsync("ann", () => annUsers.RemoveAdminAsync(ben.Id, "only one of us")),
                RaceGate.RunAsAsync("ben", () => benUsers.RemoveAdminAsync(ann.Id, "only one of us")));
        }
        finally
        {
            app.Race.Stop();
        }

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Error == "This is the last admin account; make another person an admin first.");
        await using var scopeAfter = app.Services.CreateAsyncScope();
        Assert.Single(await scopeAfter.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().GetUsersInRoleAsync(AdminBootstrap.AdminRole));
    }

    /// <summary>A new admin, and their user administration as their tab holds it: one instance for every action from that tab.</summary>
    private async Task<(ApplicationUser Admin, UserAdministration Users)> AdminAsync(string prefix)
    {
        var admin = await app.CreateAdminAsync($"{prefix}-admin");
        return (admin, app.ServiceFor<UserAdministration>(admin));
    }

    private async Task<bool> IsLockedAsync(ApplicationUser user)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await manager.IsLockedOutAsync((await manager.FindByIdAsync(user.Id))!);
    }

    private async Task<List<string>> AuditedActionsAsync(ApplicationUser target)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.AuditEntries.Where(e => e.TargetId == target.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct);
    }
}
