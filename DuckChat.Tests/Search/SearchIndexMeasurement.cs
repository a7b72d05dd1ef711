using System.Diagnostics;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Search;

/// <summary>
/// How long indexing existing messages takes, and how big the index is beside the messages, for detail=full and
/// detail=none. Explicit (minutes at full size): <c>dotnet test --filter SearchIndexMeasurement -- xUnit.Explicit=only</c>,
/// with DUCKCHAT_MEASURE_MESSAGES for another count. Prints its figures; judges nothing but that they were made.
/// </summary>
public sealed class SearchIndexMeasurement
{
    private static readonly string[] Texts =
    [
        "Deploy of service-{0} to http://internal.example/builds/{0} finished, see the **logs**",
        "Привет, встреча переносится на {0}:00, проверь почту",
        "明天的会议改到下午{0}点，请大家准时参加",
        "`var total = items.Sum(i => i.Price * {0});` fails with a NullReferenceException",
        "Can you review [PR {0}](https://git.example.com/duckchat/pull/{0}) before lunch?",
        "ok 👍 thanks @bob, ticket DUCK-{0} is done",
        "Café au lait für alle um {0} Uhr? Ünïcode everywhere",
        "会議の資料はこちらです：https://docs.example.jp/{0}",
    ];

    [Fact(Explicit = true)]
    public async Task IndexingExistingMessages_TimeAndSize()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("DUCKCHAT_MEASURE_MESSAGES"), out var n) ? n : 1_000_000;
        var folder = TestPaths.NewTempDirectory("measure");
        var path = Path.Combine(folder, "m.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite($"Data Source={path}").Options;
            await using (var db = new SqliteChatDbContext(options))
            {
                await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
            }

            await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Seed(connection, count);
            var bodyBytes = Scalar(connection, """SELECT sum(length(CAST("Body" AS BLOB))) FROM "Messages" """);
            Execute(connection, "VACUUM;");
            var fileBefore = new FileInfo(path).Length;

            // What the start-up backfill does, without the writer's queue: read a batch, make the text, store it (the trigger indexes it).
            var fill = Stopwatch.StartNew();
            var compute = TimeSpan.Zero;
            for (long after = 0; ;)
            {
                var rows = new List<(long Id, string Body)>();
                using (var read = connection.CreateCommand())
                {
                    read.CommandText = """SELECT "Id", "Body" FROM "Messages" WHERE "Id" > $after ORDER BY "Id" LIMIT 500""";
                    read.Parameters.AddWithValue("$after", after);
                    using var reader = read.ExecuteReader();
                    while (reader.Read())
                    {
                        rows.Add((reader.GetInt64(0), reader.GetString(1)));
                    }
                }

                if (rows.Count == 0)
                {
                    break;
                }

                after = rows[^1].Id;
                var made = Stopwatch.StartNew();
                var texts = rows.Select(r => SearchText.ForIndex(r.Body, MessageKind.Text, false)).ToList();
                compute += made.Elapsed;
                using var transaction = connection.BeginTransaction();
                using var update = connection.CreateCommand();
                update.CommandText = """UPDATE "Messages" SET "SearchText" = $text WHERE "Id" = $id""";
                var text = update.Parameters.Add("$text", SqliteType.Text);
                var id = update.Parameters.Add("$id", SqliteType.Integer);
                for (var i = 0; i < rows.Count; i++)
                {
                    (text.Value, id.Value) = (texts[i], rows[i].Id);
                    update.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            fill.Stop();
            var searchTextBytes = Scalar(connection, """SELECT sum(length(CAST("SearchText" AS BLOB))) FROM "Messages" """);
            var full = Scalar(connection, """SELECT sum(length("block")) FROM "MessageSearch_data" """);

            Execute(connection, """CREATE VIRTUAL TABLE "MeasureNone" USING fts5("SearchText", content='Messages', content_rowid='Id', tokenize='trigram remove_diacritics 1', detail=none)""");
            var rebuild = Stopwatch.StartNew();
            Execute(connection, """INSERT INTO "MeasureNone" ("MeasureNone") VALUES ('rebuild')""");
            rebuild.Stop();
            var none = Scalar(connection, """SELECT sum(length("block")) FROM "MeasureNone_data" """);
            var fullRebuild = Stopwatch.StartNew();
            Execute(connection, """INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('rebuild')""");
            fullRebuild.Stop();

            var report = $"""
                messages: {count:N0}; body bytes {bodyBytes:N0}; SearchText bytes {searchTextBytes:N0}; database file before indexing {fileBefore:N0}
                backfill (batches of 500: read, SearchText.ForIndex, UPDATE with the trigger indexing): {fill.Elapsed.TotalSeconds:N1} s, of which making the text {compute.TotalSeconds:N1} s
                detail=full index: {full:N0} bytes = {(double)full / bodyBytes:N2} x body bytes, {(double)full / fileBefore:N2} x the file; rebuild alone {fullRebuild.Elapsed.TotalSeconds:N1} s
                detail=none index: {none:N0} bytes = {(double)none / bodyBytes:N2} x body bytes, {(double)none / fileBefore:N2} x the file; rebuild alone {rebuild.Elapsed.TotalSeconds:N1} s
                """;
            TestContext.Current.SendDiagnosticMessage(report);
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "duckchat-search-index-measurement.txt"), report, TestContext.Current.CancellationToken);
            Assert.True(full > 0 && none > 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(folder);
        }
    }

    private static void Seed(SqliteConnection connection, int count)
    {
        const int chats = 1_000;
        using (var transaction = connection.BeginTransaction())
        {
            for (var c = 1; c <= chats; c++)
            {
                Execute(connection, $"""INSERT INTO "Chats" ("Id", "Kind", "Name", "CreatedAt", "LastSeq", "LastChangeSeq") VALUES ({c}, 1, 'chat {c}', '2026-01-01 00:00:00', 0, 0)""");
            }

            transaction.Commit();
        }

        var random = new Random(19);
        for (var start = 0; start < count; start += 10_000)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO "Messages" ("ChatId", "Seq", "Kind", "Body", "SentAt", "ClientMessageId", "RemovedByAdmin", "ChangeSeq")
                VALUES ($chat, $seq, 0, $body, '2026-01-01 00:00:00', $client, 0, 0)
                """;
            var chat = insert.Parameters.Add("$chat", SqliteType.Integer);
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            var client = insert.Parameters.Add("$client", SqliteType.Text);
            for (var i = start; i < Math.Min(count, start + 10_000); i++)
            {
                chat.Value = i % chats + 1;
                seq.Value = i / chats + 1;
                body.Value = string.Format(System.Globalization.CultureInfo.InvariantCulture, Texts[random.Next(Texts.Length)], random.Next(1, 100_000));
                client.Value = Guid.NewGuid().ToString();
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
