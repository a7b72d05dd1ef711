using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Bench.Harness;

public sealed record BenchUser(string Id, string UserName);

/// <summary>A seeded database file: users bench0, bench1, ... and one group chat (all of them) per requested size.</summary>
public sealed record SeededDatabase(string Path, IReadOnlyList<BenchUser> Users, IReadOnlyList<int> ChatIds, IReadOnlyList<int> ChatSizes)
{
    /// <summary>A fresh copy for one server run, so no run sees another's messages.</summary>
    public void CopyTo(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        File.Copy(Path, System.IO.Path.Combine(dataDirectory, BenchDatabase.FileName));
    }
}

/// <summary>
/// Makes DuckChat's SQLite database directly: the schema from DuckChat's migrations, users and chats through its
/// EF model, and messages with one prepared INSERT in one transaction (100,000 in a few seconds). Both servers
/// read the same file format: the baseline uses DuckChat's model too.
/// </summary>
public static class BenchDatabase
{
    public const string FileName = "duckchat.db";
    public const string Password = "Bench-2026";

    /// <summary>A message of ordinary length; its marker ("seed-12;") is what the page observer looks for.</summary>
    public static string Body(string prefix, long n) => $"{prefix}-{n}; the quick brown duck waddles over the lazy dog";

    /// <summary>
    /// A seeded message: ordinary length, with the marker first, and Markdown as people write it (emphasis, code, a
    /// link), so pages render formatted rows.
    /// </summary>
    public static string SeedBody(long n) => $"seed-{n}; the **quick** brown duck _waddles_ over the `lazy` dog: https://example.com/{n}";

    public static Task<SeededDatabase> CreateAsync(string path, int users, IReadOnlyList<int> chatSizes) =>
        CreateAsync(path, users, chatSizes.Select(size => (size, (IReadOnlyList<int>)Enumerable.Range(0, users).ToList())).ToList());

    /// <summary>Users bench0.. and one group chat per entry, of that many messages and those users (by index) as members.</summary>
    public static async Task<SeededDatabase> CreateAsync(string path, int users, IReadOnlyList<(int Messages, IReadOnlyList<int> Members)> chatSpecs)
    {
        var chatSizes = chatSpecs.Select(c => c.Messages).ToList();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connectionString = $"Data Source={path};Pooling=False";
        var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite(connectionString).Options;
        var now = DateTime.UtcNow;
        await using var db = new SqliteChatDbContext(options);
        await db.Database.MigrateAsync();
        // DuckChat switches its file to WAL at start; the baseline does not, so the file carries it (the mode is persistent).
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");

        var people = Enumerable.Range(0, users).Select(i => NewUser($"bench{i}", now)).ToList();
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(people[0], Password); // salted; valid for any user
        people.ForEach(p => p.PasswordHash = hash);
        db.Users.AddRange(people);

        var chats = chatSizes.Select((size, i) => new Chat
        {
            Kind = ChatKind.Group, Name = $"Bench {i}: {size} messages", CreatedAt = now, LastSeq = size, LastMessageAt = now,
            Members = chatSpecs[i].Members.Select((member, j) => new ChatMember
            {
                UserId = people[member].Id, Role = j == 0 ? ChatRole.Owner : ChatRole.Member, JoinedAt = now, LastReadSeq = size,
            }).ToList(),
        }).ToList();
        db.Chats.AddRange(chats);
        await db.SaveChangesAsync();

        for (var i = 0; i < chats.Count; i++)
        {
            await InsertMessagesAsync(db, chats[i].Id, chatSizes[i], chatSpecs[i].Members.Select(m => people[m]).ToList(), now);
        }

        return new SeededDatabase(path, people.Select(p => new BenchUser(p.Id, p.UserName!)).ToList(), chats.Select(c => c.Id).ToList(), chatSizes);
    }

    private static ApplicationUser NewUser(string name, DateTime now) => new()
    {
        UserName = name, NormalizedUserName = name.ToUpperInvariant(),
        Email = $"{name}@bench.invalid", NormalizedEmail = $"{name}@bench.invalid".ToUpperInvariant(), EmailConfirmed = true,
        SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now,
    };

    /// <summary>Messages 1..count, senders taking turns, in EF Core's SQLite formats (dates as text, Guids as upper-case text), and their reactions.</summary>
    private static async Task InsertMessagesAsync(SqliteChatDbContext db, int chatId, int count, IReadOnlyList<ApplicationUser> senders, DateTime now)
    {
        if (count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Messages (ChatId, Seq, Kind, SenderId, Body, SentAt, ClientMessageId, RemovedByAdmin)
            VALUES ($chat, $seq, 0, $sender, $body, $sentAt, $clientId, 0)
            """;
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var sender = insert.Parameters.Add("$sender", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var sentAt = insert.Parameters.Add("$sentAt", SqliteType.Text);
        var clientId = insert.Parameters.Add("$clientId", SqliteType.Text);
        insert.Parameters.AddWithValue("$chat", chatId);
        await insert.PrepareAsync();
        for (long n = 1; n <= count; n++)
        {
            seq.Value = n;
            sender.Value = senders[(int)(n % senders.Count)].Id;
            body.Value = SeedBody(n);
            sentAt.Value = now.AddSeconds(n - count).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            clientId.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            await insert.ExecuteNonQueryAsync();
        }

        // Reactions as a lively chat has them: every second message a 👍️, every third a 🎉 too, from different people.
        await using var react = connection.CreateCommand();
        react.Transaction = transaction;
        react.CommandText = """
            INSERT INTO MessageReactions (MessageId, Emoji, UserId, ReactedAt)
            SELECT Id, '👍️', $first, SentAt FROM Messages WHERE ChatId = $chat AND Seq % 2 = 0
            UNION ALL
            SELECT Id, '🎉', $second, SentAt FROM Messages WHERE ChatId = $chat AND Seq % 3 = 0
            """;
        react.Parameters.AddWithValue("$chat", chatId);
        react.Parameters.AddWithValue("$first", senders[0].Id);
        react.Parameters.AddWithValue("$second", senders[^1].Id);
        await react.ExecuteNonQueryAsync();

        await transaction.CommitAsync();
    }
}
