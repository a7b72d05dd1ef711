using System.Diagnostics;
using System.Linq.Expressions;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Diagnostics;
using DuckChat.Web.Files;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Mentions;
using DuckChat.Web.Chats.Writing;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// Everything a person does with chats. The acting user is always the circuit's signed-in user
/// (<see cref="CurrentUser"/>), and every read and write checks membership on the server: a chat I am not in
/// behaves exactly like one that does not exist. Each call is one short unit of work on its own DbContext;
/// events are published only after the commit.
/// </summary>
public sealed class ChatService(
    IDbContextFactory<ChatDbContext> factory,
    CurrentUser currentUser,
    IMessageBus bus,
    PersonRateLimits rateLimits,
    ChatWriter writer,
    MessageFormatter formatter,
    Presence.PresenceTracker presence,
    Notifications.PushFanOut pushes,
    IOptions<ChatOptions> options,
    IOptions<FilesOptions> files,
    DuckChatMetrics metrics,
    TimeProvider time)
{
    private ChatOptions Options => options.Value;

    /// <summary>People whose username contains <paramref name="term"/> (ignoring case), never me, in name order, one page after <paramref name="afterUserName"/>.</summary>
    public async Task<IReadOnlyList<UserHit>> SearchUsersAsync(string term, string? afterUserName = null)
    {
        var (me, _) = await currentUser.GetAsync();
        var needle = UserNameNormalizer.Normalize(term.Trim());
        if (needle.Length == 0)
        {
            return [];
        }

        var after = afterUserName is null ? "" : UserNameNormalizer.Normalize(afterUserName);
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users
            .Where(u => u.Id != me && u.NormalizedUserName!.Contains(needle) && string.Compare(u.NormalizedUserName, after) > 0)
            .OrderBy(u => u.NormalizedUserName)
            .Take(Options.SearchPageSize)
            .Select(u => new UserHit(u.Id, u.UserName!))
            .ToListAsync();
    }

    /// <summary>
    /// Who I may mean by <c>@typed</c> in a chat of mine: its members first, then others (a mention of them tells
    /// them nothing, and the picker says so), then <c>@here</c> and <c>@all</c> in a group; a few, in name order.
    /// Nothing for a chat I am not in.
    /// </summary>
    public async Task<IReadOnlyList<MentionCandidate>> MentionCandidatesAsync(int chatId, string typed)
    {
        const int Shown = 8;
        var (me, _) = await currentUser.GetAsync();
        var needle = UserNameNormalizer.Normalize(typed.Trim());
        await using var db = await factory.CreateDbContextAsync();
        var kind = await db.ChatMembers.Where(m => m.ChatId == chatId && m.UserId == me).Select(m => (ChatKind?)m.Chat!.Kind).FirstOrDefaultAsync();
        if (kind is null)
        {
            return [];
        }

        var members = await db.ChatMembers
            .Where(m => m.ChatId == chatId && m.UserId != me && m.User!.NormalizedUserName!.Contains(needle))
            .OrderBy(m => m.User!.NormalizedUserName).Take(Shown).Select(m => m.User!.UserName!).ToListAsync();
        var others = needle.Length == 0 || members.Count == Shown ? [] : await db.Users
            .Where(u => u.Id != me && u.NormalizedUserName!.Contains(needle) && !db.ChatMembers.Any(m => m.ChatId == chatId && m.UserId == u.Id))
            .OrderBy(u => u.NormalizedUserName).Take(Shown - members.Count).Select(u => u.UserName!).ToListAsync();
        var broadcasts = kind == ChatKind.Group
            ? new[] { Mentions.Mention.Here, Mentions.Mention.All }.Where(word => word.StartsWith(typed.Trim(), StringComparison.OrdinalIgnoreCase))
            : [];
        return [.. members.Select(name => new MentionCandidate(name, true)), .. others.Select(name => new MentionCandidate(name, false)),
            .. broadcasts.Select(word => new MentionCandidate(word, true))];
    }

    /// <summary>My direct chat with <paramref name="userName"/>, created on first open (one per pair, even when both open it at once).</summary>
    public async Task<OpenDirectResult> OpenDirectChatAsync(string userName)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var normalized = UserNameNormalizer.Normalize(userName);
        var other = await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).FirstOrDefaultAsync();
        if (other is null)
        {
            return new(OpenDirectOutcome.UserNotFound);
        }

        if (other == me)
        {
            return new(OpenDirectOutcome.Self);
        }

        var key = Chat.DirectKeyFor(me, other);
        var existing = await db.Chats.Where(c => c.DirectKey == key).Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (existing is { } id)
        {
            return new(OpenDirectOutcome.Opened, id);
        }

        try
        {
            return new(OpenDirectOutcome.Opened, await writer.ChangeAsync(async (db, now) =>
            {
                // Looked for again in the writer's transaction: it may have been opened since.
                if (await db.Chats.Where(c => c.DirectKey == key).Select(c => (int?)c.Id).FirstOrDefaultAsync() is { } opened)
                {
                    return opened;
                }

                var chat = new Chat
                {
                    Kind = ChatKind.Direct,
                    DirectKey = key,
                    CreatedAt = now,
                    Members = [new ChatMember { UserId = me, JoinedAt = now }, new ChatMember { UserId = other, JoinedAt = now }],
                };
                db.Chats.Add(chat);
                await db.SaveChangesAsync();
                return chat.Id;
            }));
        }
        catch (DbUpdateException)
        {
            // Another instance opened it at the same moment: the unique key kept one chat; use theirs.
            await using var again = await factory.CreateDbContextAsync();
            return new(OpenDirectOutcome.Opened, await again.Chats.Where(c => c.DirectKey == key).Select(c => c.Id).SingleAsync());
        }
    }

    /// <summary>The chat's header, or null when it does not exist or I am not a member (the two look the same).</summary>
    public async Task<ChatHeader?> GetChatAsync(int chatId)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var chat = await db.Chats
            .Where(c => c.Id == chatId && c.Members.Any(m => m.UserId == me))
            .Select(c => new
            {
                c.Id, c.Kind, c.Name, c.LastChangeSeq,
                Members = c.Members.OrderBy(m => m.JoinedAt).ThenBy(m => m.User!.UserName)
                    .Select(m => new { m.UserId, m.User!.UserName, m.Role, m.LastReadSeq }).ToList(),
            })
            .FirstOrDefaultAsync();
        if (chat is null)
        {
            return null;
        }

        var mine = chat.Members.Single(m => m.UserId == me);
        var name = chat.Kind == ChatKind.Group
            ? chat.Name ?? "Group"
            : chat.Members.FirstOrDefault(m => m.UserId != me)?.UserName ?? MessageView.DeletedUserName;
        return new ChatHeader(chat.Id, chat.Kind, name,
            chat.Members.Select(m => new ChatMemberView(m.UserId, m.UserName!, m.Role)).ToList(),
            mine.LastReadSeq, mine.Role == ChatRole.Owner, chat.LastChangeSeq);
    }

    /// <summary>The newest page of history, or the page just before <paramref name="beforeSeq"/>; oldest first. Empty for non-members.</summary>
    public async Task<IReadOnlyList<MessageView>> GetHistoryAsync(int chatId, long? beforeSeq = null)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await PageBeforeAsync(db, ChatStore.MessagesOf(db, chatId, me), beforeSeq ?? long.MaxValue);
    }

    /// <summary>
    /// The page just after <paramref name="afterSeq"/>, oldest first, for a page whose newer end was trimmed, and whether
    /// newer messages follow it. Empty for non-members.
    /// </summary>
    public async Task<MessagePage> GetNewerAsync(int chatId, long afterSeq)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await PageAfterAsync(db, ChatStore.MessagesOf(db, chatId, me), afterSeq, Options.HistoryPageSize);
    }

    /// <summary>
    /// A page of history before the message <paramref name="seq"/>, that message and a page after it, oldest first, and
    /// whether newer messages follow; null when the chat has no such message or I am not in it (the two look the same).
    /// </summary>
    public async Task<MessagePage?> GetAroundAsync(int chatId, long seq)
    {
        var (me, _) = await currentUser.GetAsync();
        if (seq < 1)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync();
        var messages = ChatStore.MessagesOf(db, chatId, me);
        var after = await PageAfterAsync(db, messages, seq - 1, Options.HistoryPageSize + 1);
        if (after.Messages.Count == 0 || after.Messages[0].Seq != seq)
        {
            return null;
        }

        return after with { Messages = [.. await PageBeforeAsync(db, messages, seq), .. after.Messages] };
    }

    // Both pages are keyset reads on the unique (ChatId, Seq) index: no offsets, however long the history.
    private async Task<List<MessageView>> PageBeforeAsync(ChatDbContext db, IQueryable<Message> messages, long beforeSeq)
    {
        var page = await messages.Where(m => m.Seq < beforeSeq).OrderByDescending(m => m.Seq).Take(Options.HistoryPageSize)
            .Select(ChatStore.ToView).ToListAsync();
        page.Reverse();
        return await MessageDetails.AddAsync(db, page, formatter);
    }

    private async Task<MessagePage> PageAfterAsync(ChatDbContext db, IQueryable<Message> messages, long afterSeq, int size)
    {
        // One more than the page: whether it came says whether newer messages follow.
        var page = await messages.Where(m => m.Seq > afterSeq).OrderBy(m => m.Seq).Take(size + 1).Select(ChatStore.ToView).ToListAsync();
        var hasNewer = page.Count > size;
        if (hasNewer)
        {
            page.RemoveAt(size);
        }

        return new MessagePage(await MessageDetails.AddAsync(db, page, formatter), hasNewer);
    }

    /// <summary>Messages after <paramref name="afterSeq"/> (what a circuit missed), oldest first, at most a few pages. Empty for non-members.</summary>
    public Task<IReadOnlyList<MessageView>> GetMessagesAfterAsync(int chatId, long afterSeq) =>
        MissedAsync(chatId, m => m.Seq > afterSeq, m => m.Seq);

    /// <summary>
    /// The chat's messages that changed after <paramref name="afterChangeSeq"/> (edited, deleted, removed, reacted to),
    /// in the order they changed, a few pages at most: a page that was away asks again from the last one it got until
    /// none come. Empty for non-members.
    /// </summary>
    public Task<IReadOnlyList<MessageView>> GetChangesAfterAsync(int chatId, long afterChangeSeq) =>
        MissedAsync(chatId, m => m.ChangeSeq > afterChangeSeq, m => m.ChangeSeq);

    private async Task<IReadOnlyList<MessageView>> MissedAsync(int chatId, Expression<Func<Message, bool>> missed, Expression<Func<Message, long>> order)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var messages = await ChatStore.MessagesOf(db, chatId, me).Where(missed).OrderBy(order)
            .Take(Options.HistoryPageSize * 4)
            .Select(ChatStore.ToView)
            .ToListAsync();
        return await MessageDetails.AddAsync(db, messages, formatter);
    }

    /// <summary>
    /// Saves a message as the signed-in user, through the writer: whether they may still send it (member, account
    /// and sign-in intact) is checked in the inserting statement, which also takes the chat's next Seq. A repeated
    /// <paramref name="clientMessageId"/> returns the first message instead of saving a second.
    /// </summary>
    /// <param name="replyToId">The message this one answers: refused unless it is in the same chat.</param>
    /// <param name="fileIds">Files the sender uploaded to this chat for this message; then the text may be empty.</param>
    public async Task<SendResult> SendAsync(int chatId, string body, Guid clientMessageId, long? replyToId = null, IReadOnlyList<string>? fileIds = null)
    {
        using var telemetry = new SendTelemetry(metrics);
        try
        {
            var result = await SaveAsync(chatId, body, clientMessageId, replyToId, fileIds);
            telemetry.Finished(result.Outcome);
            return result;
        }
        catch (Exception e)
        {
            telemetry.Threw(e);
            throw;
        }
    }

    private async Task<SendResult> SaveAsync(int chatId, string body, Guid clientMessageId, long? replyToId, IReadOnlyList<string>? fileIds)
    {
        var me = await currentUser.GetClaimedAsync();
        fileIds = fileIds is { Count: > 0 } ? [.. fileIds.Distinct(StringComparer.Ordinal)] : null;
        if (string.IsNullOrWhiteSpace(body) && fileIds is null)
        {
            return new(SendOutcome.Empty, Error: "Type a message first.");
        }

        if (fileIds?.Count > files.Value.MaxFilesPerMessage)
        {
            return new(SendOutcome.TooManyFiles, Error: $"A message can carry at most {files.Value.MaxFilesPerMessage} files. Nothing was sent.");
        }

        if (body.Length > Options.MaxMessageLength)
        {
            return new(SendOutcome.TooLong, Error: $"This message is {body.Length:N0} characters long; the limit is {Options.MaxMessageLength:N0}. Nothing was sent.");
        }

        if (!rateLimits.TrySend(me.Id))
        {
            return new(SendOutcome.RateLimited, Error: "You are sending messages too fast. Wait a moment, then send again.");
        }

        var mentioned = body.Contains('@') ? await ReadMentionsAsync(chatId, body) : null;
        if (mentioned?.Broadcast is not null && !rateLimits.MayMentionAll(me.Id))
        {
            // A retry of a call already saved (and paid for) answers with it: its bucket may stay empty for an hour.
            await using var db = await factory.CreateDbContextAsync();
            return await RepeatOfAsync(db, me, chatId, clientMessageId)
                   ?? new(SendOutcome.RateLimited, Error: "You have called everyone too often. Wait a while, or mention people by name.");
        }

        var request = new AppendRequest(me, chatId, MessageKind.Text, body, clientMessageId, replyToId,
            mentioned?.Targets(mentioned.Broadcast == MentionKind.Here ? await OnlineMembersAsync(chatId) : []), fileIds);
        Appended? appended;
        try
        {
            appended = await writer.AppendAsync(request);
        }
        catch (FileGoneException)
        {
            return new(SendOutcome.FileGone, Error: "A file of this message is no longer there (deleted, or kept too long unsent). Remove it and send again.");
        }

        if (appended is null)
        {
            return await WhyNotSentAsync(me, chatId, clientMessageId);
        }

        metrics.MessagesSent.Add(1, DuckChatTelemetry.TextMessage);
        if (mentioned?.Broadcast is not null)
        {
            rateLimits.MentionedAll(me.Id);
        }

        var saved = new MessageView(appended.Id, chatId, appended.Seq, me.Id, me.UserName, body, appended.SentAt, null, false, ReplyToId: replyToId)
        {
            Mentions = mentioned?.Shown(appended.Mentioned) ?? [],
            Files = appended.Files,
        };
        if (replyToId is not null)
        {
            // A reply shows its quote from the start, in every tab: read only for replies, so a plain send costs nothing more.
            await using var db = await factory.CreateDbContextAsync();
            saved = await MessageDetails.AddAsync(db, saved, formatter);
        }

        var mentionedIds = appended.Mentioned.Select(m => m.UserId).ToList();
        using (DuckChatTelemetry.Source.StartActivity(DuckChatTelemetry.PublishSpan, ActivityKind.Producer))
        {
            ChatStore.Publish(bus, chatId, appended.MemberIds, new MessagePosted(saved), new MessagePosted(saved, MentionsYou: true), mentionedIds);
        }

        if (appended.PushableIds.Count > 0)
        {
            pushes.Saved(saved, appended.PushableIds, mentionedIds);
        }
        // Named people who are not in the chat were told nothing: the sender is told so (and an owner may add them).
        var outside = mentioned?.People.Where(p => p.Id != me.Id && !appended.MemberIds.Contains(p.Id)).ToList();
        return new(SendOutcome.Sent, saved, NotInChat: outside is { Count: > 0 } ? outside : null);
    }

    /// <summary>The text's mentions; <c>@here</c> and <c>@all</c> only in a group, where they call anyone.</summary>
    private async Task<MentionedInText?> ReadMentionsAsync(int chatId, string body)
    {
        await using var db = await factory.CreateDbContextAsync();
        var mentioned = await MentionLookup.ReadAsync(db, formatter, body);
        if (mentioned?.Broadcast is null || await db.Chats.AnyAsync(c => c.Id == chatId && c.Kind == ChatKind.Group))
        {
            return mentioned;
        }

        return mentioned.People.Count == 0 ? null : mentioned with { Broadcast = null };
    }

    /// <summary>The members of the chat who are online now (on any instance), for <c>@here</c>.</summary>
    private async Task<IReadOnlyList<string>> OnlineMembersAsync(int chatId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return (await ChatStore.MemberIdsAsync(db, chatId)).Where(presence.IsOnline).ToList();
    }

    /// <summary>
    /// Nothing was inserted: the send repeats one already saved (a double click, a retry after a timeout), which
    /// then answers for it, or the sender may not send here. Looked up only now, so a send costs no extra query.
    /// </summary>
    private async Task<SendResult> WhyNotSentAsync(SignedInUser me, int chatId, Guid clientMessageId)
    {
        await using var db = await factory.CreateDbContextAsync();
        if (await RepeatOfAsync(db, me, chatId, clientMessageId) is { } repeated)
        {
            return repeated;
        }

        if (!me.MayAct(await AccountState.LoadAsync(db, me), time.GetUtcNow()))
        {
            throw new SignedOutException();
        }

        return await ChatStore.IsMemberAsync(db, chatId, me.Id)
            ? new(SendOutcome.NotFound, Error: "The message you are replying to is not in this chat. Nothing was sent.")
            : new(SendOutcome.NotFound, Error: "This chat does not exist, or you are not in it.");
    }

    /// <summary>The answer to a send repeating one already saved (a double click, a retry after a timeout); null for a new one.</summary>
    private static async Task<SendResult?> RepeatOfAsync(ChatDbContext db, SignedInUser me, int chatId, Guid clientMessageId)
    {
        var repeated = await db.Messages.Where(m => m.SenderId == me.Id && m.ClientMessageId == clientMessageId).Select(ChatStore.ToView).FirstOrDefaultAsync();
        if (repeated is null)
        {
            return null;
        }

        // The browser chooses the id, so the first message answers only if it is in this chat: no page shows a
        // message of another.
        return repeated.ChatId == chatId
            ? new(SendOutcome.Sent, repeated)
            : new(SendOutcome.Failed, Error: "This message could not be sent.");
    }

    /// <summary>My chats, most recent activity first, one page after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<ChatSummary>> ListChatsAsync(ChatListCursor? after = null)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = Summaries(db, me);
        if (after is { } cursor)
        {
            query = query.Where(s => s.ActivityAt < cursor.ActivityAt || (s.ActivityAt == cursor.ActivityAt && s.Id < cursor.Id));
        }

        var rows = await query.OrderByDescending(s => s.ActivityAt).ThenByDescending(s => s.Id).Take(Options.ChatListPageSize).ToListAsync();
        return rows.Select(ToSummary).ToList();
    }

    /// <summary>One entry of my chat list (for a chat that just became active), or null if I am not in it.</summary>
    public async Task<ChatSummary?> GetChatSummaryAsync(int chatId)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var row = await Summaries(db, me).Where(s => s.Id == chatId).FirstOrDefaultAsync();
        return row is null ? null : ToSummary(row);
    }

    // Built with an object initializer (not a constructor) so that EF can filter and order by its members.
    private sealed class SummaryRow
    {
        public int Id { get; init; }
        public ChatKind Kind { get; init; }
        public string? GroupName { get; init; }
        public string? OtherName { get; init; }
        public DateTime ActivityAt { get; init; }
        public long LastSeq { get; init; }
        public MessageView? Last { get; init; }
    }

    private static IQueryable<SummaryRow> Summaries(ChatDbContext db, string me) =>
        from member in db.ChatMembers
        where member.UserId == me
        join chat in db.Chats on member.ChatId equals chat.Id
        // A direct chat appears once someone has written in it; a group from its creation.
        where chat.LastMessageAt != null || chat.Kind == ChatKind.Group
        join message in db.Messages on new { ChatId = chat.Id, Seq = chat.LastSeq } equals new { message.ChatId, message.Seq } into lastMessages
        from last in lastMessages.DefaultIfEmpty()
        select new SummaryRow
        {
            Id = chat.Id,
            Kind = chat.Kind,
            GroupName = chat.Name,
            OtherName = chat.Members.Where(m => m.UserId != me).Select(m => m.User!.UserName).FirstOrDefault(),
            ActivityAt = chat.LastMessageAt ?? chat.CreatedAt,
            LastSeq = chat.LastSeq,
            Last = last == null ? null : new MessageView(last.Id, last.ChatId, last.Seq, last.SenderId,
                last.Sender != null ? last.Sender.UserName : null, last.DeletedAt != null ? "" : last.Body, last.SentAt, last.EditedAt,
                last.DeletedAt != null, last.Kind, last.RemovedByAdmin),
        };

    private ChatSummary ToSummary(SummaryRow row) => new(
        row.Id,
        row.Kind,
        row.Kind == ChatKind.Group ? row.GroupName ?? "Group" : row.OtherName ?? MessageView.DeletedUserName,
        row.ActivityAt,
        row.LastSeq,
        row.Last is null ? null : ChatStore.Preview(row.Last, formatter));
}
