using DuckChat.Web.Accounts;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Mentions;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using DuckChat.Web.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// Changes to messages after they were sent: their sender edits or deletes them, members react to them. Each runs in
/// the writer's transaction (<see cref="ChatWriter.ChangeAsync{T}"/>), checks there that the person may make it,
/// stamps the message with the chat's next change number, and tells every page the message's new state. A deleted
/// message keeps its row, so Seq never has holes, but loses its text and its files.
/// </summary>
public sealed class MessageActions(
    IDbContextFactory<ChatDbContext> factory,
    CurrentUser currentUser,
    PersonRateLimits rateLimits,
    ChatWriter writer,
    IMessageBus bus,
    MessageFormatter formatter,
    EmojiCatalog emoji,
    IOptions<ChatOptions> options,
    IOptions<FilesOptions> files)
{
    private static readonly ChangeResult Gone = ChangeResult.Refused("This message does not exist, or you are not in its chat.");

    /// <summary>
    /// Changes the text of my message. Who it mentions by name follows the new text (members only, as when sending);
    /// a newly named person sees the mention but is not notified, as an edit notifies nobody.
    /// </summary>
    public async Task<ChangeResult> EditAsync(int chatId, long messageId, string body)
    {
        MentionedInText? mentioned;
        await using (var db = await factory.CreateDbContextAsync())
        {
            mentioned = await MentionLookup.ReadAsync(db, formatter, body);
        }

        // Made before the change is queued, so the writer only stores it.
        var searchText = SearchText.ForIndex(body, MessageKind.Text, deleted: false);
        return await ChangeOwnAsync(chatId, messageId, (message, now) => Edit(message, now, body, searchText),
            (db, message) => RenameMentionsAsync(db, message, mentioned?.People.Select(p => p.Id).ToList() ?? []));
    }

    private string? Edit(Message message, DateTime now, string body, string? searchText)
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
        message.SearchText = message.Kind == MessageKind.Text ? searchText : null;
        message.EditedAt = now;
        return null;
    }

    /// <summary>The edited message mentions by name exactly the members in <paramref name="personIds"/> (other than its sender).</summary>
    private static async Task RenameMentionsAsync(ChatDbContext db, Message message, List<string> personIds)
    {
        var mentions = db.MessageMentions.Where(m => m.MessageId == message.Id);
        await mentions.Where(m => m.Kind == MentionKind.Person && !personIds.Contains(m.UserId)).ExecuteDeleteAsync();
        await mentions.Where(m => m.Kind != MentionKind.Person && personIds.Contains(m.UserId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Kind, MentionKind.Person));
        var added = await db.ChatMembers
            .Where(cm => cm.ChatId == message.ChatId && cm.UserId != message.SenderId && personIds.Contains(cm.UserId)
                && !db.MessageMentions.Any(m => m.MessageId == message.Id && m.UserId == cm.UserId))
            .Select(cm => cm.UserId).ToListAsync();
        db.MessageMentions.AddRange(added.Select(userId => new MessageMention
        {
            MessageId = message.Id, UserId = userId, ChatId = message.ChatId, Seq = message.Seq, Kind = MentionKind.Person,
        }));
    }

    public Task<ChangeResult> DeleteAsync(int chatId, long messageId) => ChangeOwnAsync(chatId, messageId, (message, now) =>
    {
        message.Body = "";
        message.SearchText = null;
        message.DeletedAt = now;
        return null;
    }, (db, message) => Files.FileRecords.DeleteAsync(db, message.DeletedAt!.Value, db.Files.Where(f => f.MessageId == message.Id), files.Value.DeletionGrace));

    /// <summary>
    /// Adds my <paramref name="reaction"/> to a message, or takes it away if I had added it. Members only, on messages
    /// that are still there, with emoji from <see cref="EmojiCatalog"/>, and no more different emoji on one message
    /// than <see cref="ChatOptions.MaxReactionsPerMessage"/>.
    /// </summary>
    public async Task<ChangeResult> ToggleReactionAsync(int chatId, long messageId, string reaction)
    {
        if (!emoji.Contains(reaction))
        {
            return ChangeResult.Refused("That is not an emoji you can react with.");
        }

        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        return await ChangeAsync(chatId, async (db, now) =>
        {
            var message = await ChatStore.MessagesOf(db, chatId, me).Where(m => m.Id == messageId)
                .Select(m => new { m.Kind, Deleted = m.DeletedAt != null }).FirstOrDefaultAsync();
            if (message is null)
            {
                return Gone;
            }

            if (message.Deleted || message.Kind != MessageKind.Text)
            {
                return ChangeResult.Refused("This message was deleted.");
            }

            var reactions = db.MessageReactions.Where(r => r.MessageId == messageId);
            if (await reactions.Where(r => r.Emoji == reaction && r.UserId == me).ExecuteDeleteAsync() == 0)
            {
                if (!await reactions.AnyAsync(r => r.Emoji == reaction)
                    && await reactions.Select(r => r.Emoji).Distinct().CountAsync() >= options.Value.MaxReactionsPerMessage)
                {
                    return ChangeResult.Refused($"A message can have at most {options.Value.MaxReactionsPerMessage} different reactions.");
                }

                db.MessageReactions.Add(new MessageReaction { MessageId = messageId, Emoji = reaction, UserId = me, ReactedAt = now });
                await db.SaveChangesAsync();
            }

            var changeSeq = await ChatStore.NextChangeSeqAsync(db, chatId);
            await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ChangeSeq, changeSeq));
            return null;
        }, messageId);
    }

    /// <summary>
    /// Applies <paramref name="change"/> (which returns a refusal, or null when done) to my own live message, then
    /// <paramref name="alongside"/> (what else changes with it) in the same transaction.
    /// </summary>
    private async Task<ChangeResult> ChangeOwnAsync(
        int chatId, long messageId, Func<Message, DateTime, string?> change, Func<ChatDbContext, Message, Task> alongside)
    {
        var (me, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(me))
        {
            return ChangeResult.TooFast;
        }

        return await ChangeAsync(chatId, async (db, now) =>
        {
            var message = await ChatStore.MessagesOf(db, chatId, me).FirstOrDefaultAsync(m => m.Id == messageId);
            if (message is null)
            {
                return Gone;
            }

            if (message.SenderId != me || message.Kind != MessageKind.Text)
            {
                return ChangeResult.Refused("You can only change your own messages.");
            }

            if (message.DeletedAt is not null)
            {
                return ChangeResult.Refused("This message was deleted.");
            }

            if (change(message, now) is { } refusal)
            {
                return ChangeResult.Refused(refusal);
            }

            message.ChangeSeq = await ChatStore.NextChangeSeqAsync(db, chatId);
            await alongside(db, message);
            await db.SaveChangesAsync();
            return null;
        }, messageId);
    }

    /// <summary>
    /// Runs <paramref name="change"/> in the writer (a refusal, or null once it changed the message), reads the
    /// message's new state, the members to tell and who it mentions in the same transaction, and after the commit
    /// tells them (a deleted message mentions nobody any more).
    /// </summary>
    private async Task<ChangeResult> ChangeAsync(int chatId, Func<ChatDbContext, DateTime, Task<ChangeResult?>> change, long messageId)
    {
        var (refusal, changed) = await writer.ChangeAsync<(ChangeResult?, ChangedMessage?)>(async (db, now) =>
            await change(db, now) is { } refused ? (refused, null) : (null, await ChangedMessage.ReadAsync(db, chatId, messageId, formatter)));
        if (refusal is not null)
        {
            return refusal;
        }

        changed!.Publish(bus);
        return ChangeResult.Done(chatId, changed.Message);
    }
}

/// <summary>
/// A message's new state after a change, read in the changing transaction with who to tell: the chat's members, and
/// which of them it mentions (a deleted message mentions nobody any more). Told to every page after the commit.
/// </summary>
public sealed record ChangedMessage(MessageView Message, IReadOnlyList<string> MemberIds, IReadOnlyList<string> MentionedIds)
{
    public static async Task<ChangedMessage> ReadAsync(ChatDbContext db, int chatId, long messageId, MessageFormatter formatter)
    {
        var view = await db.Messages.Where(m => m.Id == messageId).Select(ChatStore.ToView).SingleAsync();
        var mentions = view.Deleted ? [] : await db.MessageMentions.Where(m => m.MessageId == messageId).Select(m => m.UserId).ToListAsync();
        return new(await MessageDetails.AddAsync(db, view, formatter), await ChatStore.MemberIdsAsync(db, chatId), mentions);
    }

    public void Publish(IMessageBus bus) =>
        ChatStore.Publish(bus, Message.ChatId, MemberIds, new MessageChanged(Message), new MessageChanged(Message, MentionsYou: true), MentionedIds);
}
