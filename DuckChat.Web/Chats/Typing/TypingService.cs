using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats.Typing;

/// <summary>"I am typing in this chat", told to the chat's open pages on every instance. Never stored.</summary>
public sealed class TypingService(CurrentUser currentUser, IDbContextFactory<ChatDbContext> factory, PersonRateLimits rateLimits, IMessageBus bus, TimeProvider time)
{
    /// <summary>
    /// Signals that the signed-in person is typing in <paramref name="chatId"/>. Checked as a send is (a member whose
    /// sign-in may act, in one query) and paced per person and chat, the pace first (it costs no query); a signal that
    /// fails either is dropped without a word.
    /// </summary>
    public async Task SignalAsync(int chatId)
    {
        var me = await currentUser.GetClaimedAsync();
        if (!rateLimits.TryType(me.Id, chatId))
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync();
        if (me.MayAct(await AccountState.LoadForMemberAsync(db, me, chatId), time.GetUtcNow()))
        {
            bus.Publish(Topics.Chat(chatId), new TypingStarted(chatId, me.Id, me.UserName));
        }
    }
}
