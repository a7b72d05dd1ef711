using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using DuckChat.Bench.SendPath;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;

namespace DuckChat.Bench.Search;

/// <summary>The seeded chats: who is in each, and what seeding and indexing took.</summary>
public sealed record SeededChats(
    IReadOnlyList<ClaimsPrincipal> People,
    IReadOnlyList<int> ChatIds,
    IReadOnlyList<string> ChatNames,
    IReadOnlyList<IReadOnlyList<int>> Members,
    DateTime FirstSentAt,
    DateTime LastSentAt,
    IReadOnlyDictionary<MessageMix, int> Mix,
    double SeedSeconds);

/// <summary>
/// Seeds the app's database: people and group chats through the app's own model (<see cref="SendPathApp"/>), then
/// messages with one prepared INSERT in big transactions, SearchText made by <see cref="SearchText.ForIndex"/> as the
/// write path makes it; the index is built afterwards in one <c>rebuild</c>. Needles: two made-up words put only in chats that
/// neither measured person is in (a few times, and many times), for the timing channel.
/// </summary>
public static class SearchSeed
{
    public const string RareNeedle = "zebrafogq";
    public const string CommonNeedle = "quillmoss";
    public const string Nowhere = "vexdrumpl";

    public static async Task<SeededChats> SeedAsync(SendPathApp app, SearchBenchOptions options, TextWriter log)
    {
        var random = new Random(19);
        var people = await app.CreatePeopleAsync(options.People);
        var members = new List<IReadOnlyList<int>>();
        var chatIds = new List<int>();
        var names = new List<string>();
        for (var c = 0; c < options.Chats; c++)
        {
            // Person 0 is in the first FewChats chats, person 1 in the first ManyChats; everyone else at random.
            var chosen = new List<int>();
            if (c < options.FewChats)
            {
                chosen.Add(0);
            }

            if (c < options.ManyChats)
            {
                chosen.Add(1);
            }

            while (chosen.Count < options.MembersPerChat)
            {
                var person = random.Next(2, options.People);
                if (!chosen.Contains(person))
                {
                    chosen.Add(person);
                }
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"team-{c:D4}");
            chatIds.Add(await app.CreateGroupAsync(name, chosen.Select(i => people[i])));
            names.Add(name);
            members.Add(chosen);
        }

        log.WriteLine($"search: {people.Count} people, {chatIds.Count} chats");
        var userIds = people.Select(p => p.FindFirstValue(ClaimTypes.NameIdentifier)!).ToList();
        var needles = Needles(random, options);
        var mix = Enum.GetValues<MessageMix>().ToDictionary(k => k, _ => 0);
        var corpus = new SearchCorpus(42);
        var seqs = new long[options.Chats];
        var last = DateTime.UtcNow;
        var first = last.AddDays(-365);
        var step = (last - first) / options.Messages;

        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        // Seeding only: a page cache that holds the Messages indexes, whose keys (chat, client message id) arrive in random order.
        await Execute(connection, "PRAGMA busy_timeout = 60000; PRAGMA cache_size = -262144;");
        // The index is built in one rebuild after seeding: the app's indexer must not chase the seed meanwhile.
        await Execute(connection, $"UPDATE \"{SearchIndex.StateTable}\" SET \"IndexedThrough\" = {long.MaxValue};");
        var clock = Stopwatch.StartNew();
        const int Transaction = 50_000;
        for (int start = 0, end; start < options.Messages; start = end)
        {
            end = Math.Min(options.Messages, start + Transaction);

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO Messages (ChatId, Seq, Kind, SenderId, Body, SentAt, ClientMessageId, RemovedByAdmin, SearchText)
                VALUES ($chat, $seq, 0, $sender, $body, $sentAt, $clientId, 0, $searchText)
                """;
            var chat = insert.Parameters.Add("$chat", SqliteType.Integer);
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var sender = insert.Parameters.Add("$sender", SqliteType.Text);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            var sentAt = insert.Parameters.Add("$sentAt", SqliteType.Text);
            var clientId = insert.Parameters.Add("$clientId", SqliteType.Text);
            var searchText = insert.Parameters.Add("$searchText", SqliteType.Text);
            await insert.PrepareAsync();
            for (var n = start; n < end; n++)
            {
                var kind = corpus.NextKind();
                mix[kind]++;
                var text = corpus.Body(kind);
                int c;
                if (needles.TryGetValue(n, out var needle))
                {
                    c = random.Next(options.ManyChats, options.Chats);
                    text += " " + needle;
                }
                else
                {
                    c = random.Next(options.Chats);
                }

                chat.Value = chatIds[c];
                seq.Value = ++seqs[c];
                sender.Value = userIds[members[c][random.Next(members[c].Count)]];
                body.Value = text;
                sentAt.Value = (first + step * n).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
                clientId.Value = Guid.NewGuid().ToString().ToUpperInvariant();
                searchText.Value = SearchText.ForIndex(text, MessageKind.Text, deleted: false);
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            log.WriteLine($"search: seeded {end:N0} messages");
        }

        return new SeededChats(people, chatIds, names, members, first, last, mix, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Which message numbers carry a needle: scattered over the whole run, so over the whole timeline.</summary>
    private static Dictionary<int, string> Needles(Random random, SearchBenchOptions options)
    {
        var needles = new Dictionary<int, string>();
        foreach (var (word, count) in new[] { (RareNeedle, options.RareNeedles), (CommonNeedle, options.CommonNeedles) })
        {
            for (var added = 0; added < count;)
            {
                added += needles.TryAdd(random.Next(options.Messages), word) ? 1 : 0;
            }
        }

        return needles;
    }

    public static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync();
    }
}
