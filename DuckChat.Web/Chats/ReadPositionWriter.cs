using DuckChat.Web.Accounts;

namespace DuckChat.Web.Chats;

/// <summary>A circuit's read positions, saved through the server's <see cref="ReadPositionQueue"/> as the circuit's signed-in user.</summary>
public sealed class ReadPositionWriter(ReadPositionQueue queue, ReadService reads, CurrentUser currentUser)
{
    /// <summary>Saves, now or within <see cref="ReadPositionQueue.Interval"/>, that I have read chat <paramref name="chatId"/> up to <paramref name="seq"/>.</summary>
    public async Task AdvanceAsync(int chatId, long seq) => queue.Advance(await currentUser.GetClaimedAsync(), chatId, seq);

    /// <summary>Marks the message <paramref name="seq"/> and all after it unread, after any read position being saved and instead of any waiting.</summary>
    public async Task<ChangeResult> MarkUnreadAsync(int chatId, long seq)
    {
        var me = await currentUser.GetClaimedAsync();
        return await queue.MarkUnreadAsync(me.Id, chatId, () => reads.MarkUnreadAsync(chatId, seq));
    }
}
