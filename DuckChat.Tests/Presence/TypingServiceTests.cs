using System.Data.Common;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats.Typing;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Tests.Presence;

/// <summary>
/// A typing signal is checked as a send is (a member whose sign-in may act), and costs one database command: it
/// comes every few seconds from everyone typing, so the check must stay cheap.
/// </summary>
public sealed class TypingServiceTests(TypingServiceTests.CommandCountingAppFactory app) : IClassFixture<TypingServiceTests.CommandCountingAppFactory>
{
    [Fact]
    public async Task AMembersSignal_IsOneDatabaseCommand_AndOneThePaceDrops_IsNone()
    {
        var (alice, chat) = await DirectChatAsync("cost");
        var bus = new RecordingBus();
        var typing = app.ServiceFor<TypingService>(alice, bus);

        Assert.Equal(1, await app.Commands.CountAsync(() => typing.SignalAsync(chat)));
        Assert.Equal(0, await app.Commands.CountAsync(() => typing.SignalAsync(chat))); // within TypingSignalEvery of the last

        var (topic, heard) = Assert.Single(bus.Published);
        Assert.Equal((Topics.Chat(chat), new TypingStarted(chat, alice.Id, alice.UserName!)), (topic, heard));
    }

    [Fact]
    public async Task ASignal_FromALockedAccount_PublishesNothing()
    {
        var (alice, chat) = await DirectChatAsync("locked");
        await using (var db = await app.CreateDbContextAsync())
        {
            // Locked without a new security stamp: the lockout itself must stop the signal.
            await db.Users.Where(u => u.Id == alice.Id).ExecuteUpdateAsync(
                s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1)), TestContext.Current.CancellationToken);
        }

        Assert.Empty(await PublishedBySignalAsync(alice, chat));
    }

    [Fact]
    public async Task ASignal_FromAnEndedSignIn_OrAfterTheStampChanged_PublishesNothing()
    {
        var (alice, chat) = await DirectChatAsync("ended");
        var (carol, other) = await DirectChatAsync("stamp");
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.SignIns.Where(s => s.UserId == alice.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
            await db.Users.Where(u => u.Id == carol.Id).ExecuteUpdateAsync(
                s => s.SetProperty(u => u.SecurityStamp, "changed"), TestContext.Current.CancellationToken);
        }

        Assert.Empty(await PublishedBySignalAsync(alice, chat));
        Assert.Empty(await PublishedBySignalAsync(carol, other));
    }

    [Fact]
    public async Task ASignal_FromSomeoneNotInTheChat_PublishesNothing_EvenWhenTheyAreInAnother()
    {
        var (_, chat) = await DirectChatAsync("outside");
        var (carol, _) = await DirectChatAsync("elsewhere");

        Assert.Empty(await PublishedBySignalAsync(carol, chat));
    }

    private async Task<IReadOnlyList<(string Topic, BusEvent Event)>> PublishedBySignalAsync(ApplicationUser who, int chatId)
    {
        var bus = new RecordingBus();
        await app.ServiceFor<TypingService>(who, bus).SignalAsync(chatId);
        return bus.Published;
    }

    /// <summary>A new person (signed in) in a direct chat with another new person.</summary>
    private async Task<(ApplicationUser Person, int ChatId)> DirectChatAsync(string name)
    {
        var person = await app.CreatePersonAsync($"typing-{name}");
        await app.CreatePersonAsync($"typing-{name}-partner");
        return (person, (await app.ChatServiceFor(person).OpenDirectChatAsync($"typing-{name}-partner")).ChatId);
    }

    /// <summary>The app, counting the database commands run by the operation a test names (not the app's own background work).</summary>
    public sealed class CommandCountingAppFactory : DuckChatAppFactory
    {
        public CommandCounter Commands { get; } = new();

        protected override IReadOnlyList<IInterceptor> DatabaseInterceptors => [Commands];
    }

    public sealed class CommandCounter : DbCommandInterceptor
    {
        private static readonly AsyncLocal<int[]?> Counting = new();

        /// <summary>How many commands <paramref name="operation"/> runs, wherever its awaits take it.</summary>
        public async Task<int> CountAsync(Func<Task> operation)
        {
            var count = new int[1];
            Counting.Value = count;
            try
            {
                await operation();
            }
            finally
            {
                Counting.Value = null;
            }

            return Volatile.Read(ref count[0]);
        }

        public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result)
        {
            if (Counting.Value is { } count)
            {
                Interlocked.Increment(ref count[0]);
            }

            return result;
        }
    }
}
