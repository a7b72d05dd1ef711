using System.Text;
using System.Text.Json;
using DuckChat.Bench.SendPath;
using DuckChat.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DuckChat.Tests.Bench;

/// <summary>
/// The send-path benchmark (issue 15, 5a): its statement counter, which must see every statement SQLite runs on the
/// file, triggers by name, at no allocation; and a tiny run of the whole benchmark, so it cannot rot. No timing is judged.
/// </summary>
public sealed class SendPathTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("sendpath");

    [Fact]
    public void StatementCounter_SeesTransactionStatementsAndNamesEachTriggerWithWhatItRuns()
    {
        // Arrange: a table with a trigger of two statements, made before the file is watched.
        var file = Path.Combine(_directory, "counted.db");
        Execute(file, "CREATE TABLE t(x); CREATE TABLE log(x);",
            "CREATE TRIGGER t_logged AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x); UPDATE log SET x = x WHERE 0; END;");
        using var counter = SqliteStatementCounter.Watch(file);
        var before = counter.Snapshot();

        // Act: two rows in one transaction, as ADO.NET runs it.
        using (var connection = Open(file))
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t VALUES (1), (2);";
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        // Assert
        var counted = SqliteStatementCounter.Between(before, counter.Snapshot());
        Assert.Equal(1, counter.ConnectionsTraced);
        Assert.Equal(1, Count(counted, StatementKind.Statement, "BEGIN"));
        Assert.Equal(1, Count(counted, StatementKind.Statement, "INSERT"));
        Assert.Equal(1, Count(counted, StatementKind.Statement, "COMMIT"));
        var fired = Assert.Single(counted, c => c.Kind == StatementKind.TriggerFired);
        Assert.Equal(("t_logged", 2L), (fired.Trigger, fired.Count));
        Assert.All(counted.Where(c => c.Kind == StatementKind.InTrigger), c => Assert.Equal("t_logged", c.Trigger));
        Assert.Equal(2, Count(counted, StatementKind.InTrigger, "INSERT"));
        Assert.Equal(2, Count(counted, StatementKind.InTrigger, "UPDATE"));
    }

    [Fact]
    public void StatementCounter_OnlyCountsTheWatchedFile_AndAllocatesNothingForATextItHasSeen()
    {
        // Arrange: the same statement on a watched and an unwatched file, each run once first.
        var watched = Path.Combine(_directory, "watched.db");
        var other = Path.Combine(_directory, "other.db");
        using var counter = SqliteStatementCounter.Watch(watched);
        using var onWatched = Open(watched);
        using var onOther = Open(other);
        using var commandOnWatched = Command(onWatched);
        using var commandOnOther = Command(onOther);
        commandOnWatched.ExecuteScalar();
        commandOnOther.ExecuteScalar();
        var before = counter.Snapshot();

        // Act
        var allocatedWatched = AllocatedBy(() => commandOnWatched.ExecuteScalar());
        var allocatedOther = AllocatedBy(() => commandOnOther.ExecuteScalar());

        // Assert: counted on one file only; the count itself allocated nothing (both runs allocate what ADO.NET does).
        var counted = Assert.Single(SqliteStatementCounter.Between(before, counter.Snapshot()));
        Assert.Equal((StatementKind.Statement, 200L), (counted.Kind, counted.Count));
        Assert.Equal(allocatedOther, allocatedWatched);
    }

    [Fact]
    public async Task TinyRun_SendsEveryMessage_AndCountsStatementsForEveryCase()
    {
        // Arrange
        var options = new SendPathOptions().AsTiny() with { Senders = 4, Sends = 8, WarmupSends = 4 };
        using var log = new StringWriter();

        // Act
        var run = await SendPathBench.RunAsync(options, log);

        // Assert
        Assert.Equal(["1 sender", "4 senders, one chat", "4 senders, 4 chats", "1 reactor (toggle)", "1 editor", "1 sender, a mention", "1 muter", "1 sender, a file", "1 uploader (10 KB)"],
            run.Cases.Select(c => c.Case));
        Assert.Equal([1, 4, 4, 1, 1, 1, 1, 1, 1], run.Cases.Select(c => c.Senders));
        Assert.Equal([1, 1, 4, 1, 1, 1, 1, 1, 1], run.Cases.Select(c => c.Chats));
        // The mention is recorded with the message: one more INSERT than a plain send's.
        Assert.Contains(run.Cases.Single(c => c.Case == "1 sender, a mention").Statements, s => s.Sql.Contains("MessageMentions", StringComparison.Ordinal));
        Assert.Contains(run.Cases.Single(c => c.Case == "1 sender, a file").Statements, s => s.Sql.Contains("json_each", StringComparison.Ordinal));
        Assert.All(run.Cases, c =>
        {
            Assert.True(c is { Failed: 0, Sends: 8 }, $"{c.Case}: {c.Failed} failed ({c.FirstFailure})\n{log}");
            Assert.Equal(c.Sends, c.SendMs.Count);
            Assert.True(c.StatementsPerSend > 0 && double.IsFinite(c.StatementsPerSend), $"{c.Case}: no statements counted\n{log}");
            Assert.Contains(c.Statements, s => s.Verb is "INSERT" or "UPDATE" or "DELETE");
            Assert.True(c.UserCpuSeconds + c.SystemCpuSeconds >= 0 && c.AllocatedBytes > 0, $"{c.Case}\n{log}");
        });
        Assert.Equal("wal", run.JournalMode);

        // The results survive the trip through JSON that the harness makes, and its report section lists every case.
        var read = JsonSerializer.Deserialize<SendPathRun>(JsonSerializer.Serialize(run, SendPathProgram.Json), SendPathProgram.Json)!;
        Assert.Equal(run.Cases.Select(c => c.StatementsPerSend), read.Cases.Select(c => c.StatementsPerSend));
        var md = new StringBuilder();
        SendPathReport.Write(md, read);
        Assert.All(run.Cases, c => Assert.Contains($"| {c.Case} |", md.ToString(), StringComparison.Ordinal));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TestPaths.DeleteQuietly(_directory);
    }

    private static long Count(List<StatementCount> counted, StatementKind kind, string verb) =>
        counted.Where(c => c.Kind == kind && c.Verb == verb).Sum(c => c.Count);

    /// <summary>Bytes this thread allocated over 200 runs (the trace hook runs on the thread that runs the statement).</summary>
    private static long AllocatedBy(Action run)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            run();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static SqliteCommand Command(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT 1;";
        return command;
    }

    /// <summary>A connection of its own (no pool): SQLite opens the file anew, as the counter needs.</summary>
    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(string file, params string[] statements)
    {
        using var connection = Open(file);
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
