using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// Fixing one's own messages. Only the sender may edit or delete (admins moderate elsewhere); a deleted
/// message keeps its row, so Seq never has holes, but loses its text.
/// </summary>
public sealed class MessageActions(
    IDbContextFactory<ChatDbContext> factory,
    CurrentUser currentUser,
    PersonRateLimits rateLimits,
    IMessageBus bus,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    public Task<ChangeResult> EditAsync(int chatId, long messageId, string body) => ChangeOwnAsync(chatId, messageId, (message, now) =>
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "A message cannot be empty. To remove it, delete it.";
        }

        if (body.Length > options.Value.MaxMessageLength)
        {
            return $"This message is {body.Length:N0} characters long; the limit is {options.Value.MaxMessageLength:N0}. It was not changed.";
        }

        if (options.Value.EditWindow is { } window && now - message.SentAt > window)
        {
            return "This message is too old to edit.";
        }

        message.Body = body;
        message.EditedAt = now;
        return null;
    });

    public Task<ChangeResult> DeleteAsync(int chatId, long messageId) => ChangeOwnAsync(chatId, messageId, (message, now) =>
    {
        message.Body = "";
        message.DeletedAt = now;
        return null;
    });

    /// <summary>Applies <paramref name="change"/> (which returns a refusal, or null when done) to my own live message, saves, and tells every page.</summary>
    private async Task<ChangeResult> ChangeOwnAsync(int chatId, long messageId, Func<Message, DateTime, string?> change)
    {
        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        await using var db = await factory.CreateDbContextAsync();
        var message = await ChatStore.MessagesOf(db, chatId, me).FirstOrDefaultAsync(m => m.Id == messageId);
        if (message is null)
        {
            return ChangeResult.Refused("This message does not exist, or you are not in its chat.");
        }

        if (message.SenderId != me || message.Kind != MessageKind.Text)
        {
            return ChangeResult.Refused("You can only change your own messages.");
        }

        if (message.DeletedAt is not null)
        {
            return ChangeResult.Refused("This message was deleted.");
        }

        if (change(message, time.GetUtcNow().UtcDateTime) is { } refusal)
        {
            return ChangeResult.Refused(refusal);
        }

        await db.SaveChangesAsync();
        var view = await db.Messages.Where(m => m.Id == messageId).Select(ChatStore.ToView).SingleAsync();
        ChatStore.Publish(bus, chatId, await ChatStore.MemberIdsAsync(db, chatId), new MessageChanged(view));
        return ChangeResult.Done(chatId);
    }
}
