using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
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
    SendRateLimiter rateLimiter,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    private const int PreviewLength = 120;

    private ChatOptions Options => options.Value;

    /// <summary>People whose username contains <paramref name="term"/> (ignoring case), never me, in name order, one page after <paramref name="afterNormalizedName"/>.</summary>
    public async Task<IReadOnlyList<UserHit>> SearchUsersAsync(string term, string? afterUserName = null)
    {
        var (me, _) = await currentUser.GetAsync();
        var needle = term.Trim().ToUpperInvariant();
        if (needle.Length == 0)
        {
            return [];
        }

        var after = afterUserName?.ToUpperInvariant() ?? "";
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users
            .Where(u => u.Id != me && u.NormalizedUserName!.Contains(needle) && string.Compare(u.NormalizedUserName, after) > 0)
            .OrderBy(u => u.NormalizedUserName)
            .Take(Options.SearchPageSize)
            .Select(u => new UserHit(u.Id, u.UserName!))
            .ToListAsync();
    }

    /// <summary>My direct chat with <paramref name="userName"/>, created on first open (one per pair, even when both open it at once).</summary>
    public async Task<OpenDirectResult> OpenDirectChatAsync(string userName)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var normalized = userName.ToUpperInvariant();
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

        var now = time.GetUtcNow().UtcDateTime;
        var chat = new Chat
        {
            Kind = ChatKind.Direct,
            DirectKey = key,
            CreatedAt = now,
            Members = [new ChatMember { UserId = me, JoinedAt = now }, new ChatMember { UserId = other, JoinedAt = now }],
        };
        db.Chats.Add(chat);
        try
        {
            await db.SaveChangesAsync();
            return new(OpenDirectOutcome.Opened, chat.Id);
        }
        catch (DbUpdateException)
        {
            // The other person opened it at the same moment: the unique key kept one chat; use theirs.
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
                c.Id, c.Kind, c.Name, c.LastSeq,
                Members = c.Members.OrderBy(m => m.JoinedAt).Select(m => new { m.UserId, m.User!.UserName }).ToList(),
            })
            .FirstOrDefaultAsync();
        if (chat is null)
        {
            return null;
        }

        var name = chat.Kind == ChatKind.Group
            ? chat.Name ?? "Group"
            : chat.Members.FirstOrDefault(m => m.UserId != me)?.UserName ?? MessageView.DeletedUserName;
        return new ChatHeader(chat.Id, chat.Kind, name, chat.Members.Select(m => m.UserName!).ToList(), chat.LastSeq);
    }

    /// <summary>The newest page of history, or the page just before <paramref name="beforeSeq"/>; oldest first. Empty for non-members.</summary>
    public async Task<IReadOnlyList<MessageView>> GetHistoryAsync(int chatId, long? beforeSeq = null)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        var before = beforeSeq ?? long.MaxValue;
        var page = await MessagesOf(db, chatId, me)
            .Where(m => m.Seq < before)
            .OrderByDescending(m => m.Seq)
            .Take(Options.HistoryPageSize)
            .Select(ToView)
            .ToListAsync();
        page.Reverse();
        return page;
    }

    /// <summary>Messages after <paramref name="afterSeq"/> (what a circuit missed), oldest first, at most a few pages. Empty for non-members.</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesAfterAsync(int chatId, long afterSeq)
    {
        var (me, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await MessagesOf(db, chatId, me)
            .Where(m => m.Seq > afterSeq)
            .OrderBy(m => m.Seq)
            .Take(Options.HistoryPageSize * 4)
            .Select(ToView)
            .ToListAsync();
    }

    /// <summary>
    /// Saves a message as the signed-in user. Seq is assigned in the inserting transaction; a repeated
    /// <paramref name="clientMessageId"/> returns the first message instead of saving a second.
    /// </summary>
    public async Task<SendResult> SendAsync(int chatId, string body, Guid clientMessageId)
    {
        var (me, myName) = await currentUser.GetAsync();
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(SendOutcome.Empty, Error: "Type a message first.");
        }

        if (body.Length > Options.MaxMessageLength)
        {
            return new(SendOutcome.TooLong, Error: $"This message is {body.Length:N0} characters long; the limit is {Options.MaxMessageLength:N0}. Nothing was sent.");
        }

        await using var db = await factory.CreateDbContextAsync();
        var members = await db.ChatMembers.Where(m => m.ChatId == chatId).Select(m => m.UserId).ToListAsync();
        if (!members.Contains(me))
        {
            return new(SendOutcome.NotFound, Error: "This chat does not exist, or you are not in it.");
        }

        if (await FindSentAsync(db, me, clientMessageId) is { } repeated)
        {
            return new(SendOutcome.Sent, repeated);
        }

        if (!rateLimiter.TryAcquire(me))
        {
            return new(SendOutcome.RateLimited, Error: "You are sending messages too fast. Wait a moment, then send again.");
        }

        MessageView saved;
        try
        {
            saved = await InsertAsync(db, chatId, me, myName, body, clientMessageId);
        }
        catch (DbUpdateException)
        {
            // The same send arrived twice at once (double click, retry): the unique key kept the first.
            if (await FindSentAsync(db, me, clientMessageId) is { } raced)
            {
                return new(SendOutcome.Sent, raced);
            }

            throw;
        }

        var posted = new MessagePosted(saved);
        bus.Publish(Topics.Chat(chatId), posted);
        foreach (var member in members)
        {
            bus.Publish(Topics.User(member), posted);
        }

        return new(SendOutcome.Sent, saved);
    }

    private async Task<MessageView> InsertAsync(ChatDbContext db, int chatId, string me, string myName, string body, Guid clientMessageId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Taking the next Seq is the transaction's first write, so concurrent senders queue on the chat row.
        await db.Chats.Where(c => c.Id == chatId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSeq, c => c.LastSeq + 1).SetProperty(c => c.LastMessageAt, now));
        var seq = await db.Chats.Where(c => c.Id == chatId).Select(c => c.LastSeq).SingleAsync();
        var message = new Message { ChatId = chatId, Seq = seq, SenderId = me, Body = body, SentAt = now, ClientMessageId = clientMessageId };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new MessageView(message.Id, chatId, seq, me, myName, body, now, null, false);
    }

    private static async Task<MessageView?> FindSentAsync(ChatDbContext db, string me, Guid clientMessageId)
    {
        db.ChangeTracker.Clear();
        return await db.Messages.Where(m => m.SenderId == me && m.ClientMessageId == clientMessageId).Select(ToView).FirstOrDefaultAsync();
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

    /// <summary>A one-line preview: the first line, cut to a length that fits a list row.</summary>
    public static string Preview(string body, bool deleted)
    {
        if (deleted)
        {
            return "message deleted";
        }

        var line = body.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        return line.Length <= PreviewLength ? line.ToString() : string.Concat(line[..PreviewLength], "…");
    }

    private static IQueryable<Message> MessagesOf(ChatDbContext db, int chatId, string me) =>
        db.Messages.Where(m => m.ChatId == chatId && db.ChatMembers.Any(cm => cm.ChatId == chatId && cm.UserId == me));

    private static readonly System.Linq.Expressions.Expression<Func<Message, MessageView>> ToView = m =>
        new MessageView(m.Id, m.ChatId, m.Seq, m.SenderId, m.Sender != null ? m.Sender.UserName : null,
            m.DeletedAt != null ? "" : m.Body, m.SentAt, m.EditedAt, m.DeletedAt != null);

    // Built with an object initializer (not a constructor) so that EF can filter and order by its members.
    private sealed class SummaryRow
    {
        public int Id { get; init; }
        public ChatKind Kind { get; init; }
        public string? GroupName { get; init; }
        public string? OtherName { get; init; }
        public DateTime ActivityAt { get; init; }
        public long LastSeq { get; init; }
        public string? LastBody { get; init; }
        public bool LastDeleted { get; init; }
        public string? LastSender { get; init; }
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
            LastBody = last != null ? last.Body : null,
            LastDeleted = last != null && last.DeletedAt != null,
            LastSender = last != null && last.Sender != null ? last.Sender.UserName : null,
        };

    private static ChatSummary ToSummary(SummaryRow row) => new(
        row.Id,
        row.Kind,
        row.Kind == ChatKind.Group ? row.GroupName ?? "Group" : row.OtherName ?? MessageView.DeletedUserName,
        row.ActivityAt,
        row.LastSeq,
        row.LastBody is null ? null : Preview(row.LastBody, row.LastDeleted),
        row.LastSender);
}
