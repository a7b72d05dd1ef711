using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Search;
using Microsoft.Data.SqlClient;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace DuckChat.Tests.Search;

/// <summary>
/// SQL Server's search statements: parsed as T-SQL here (no SQL Server engine runs on Debian), and run against a real
/// server when DUCKCHAT_TEST_SQLSERVER holds a connection string to a throwaway database.
/// </summary>
public sealed class SqlServerSearchTests
{
    private static readonly SearchPlan Everything = new(
        "me", [1, 2], ["rvice-42", "会议" + SearchText.BigramMark, "50%_off[1]"], ["flaky"], ["ALICE"], true, true,
        new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), true);

    [Fact]
    public void Statements_AreValidTSql()
    {
        using var command = new SqlCommand();
        var statements = new List<string>();
        SearchStatements.MyChats(command, "me");
        statements.Add(command.CommandText);
        SearchStatements.RecentFloor(command, Everything, 5000, sqlServer: true);
        statements.Add(command.CommandText);
        SearchStatements.Batch(command, Everything, long.MaxValue, 0, 40, sqlServer: true);
        statements.Add(command.CommandText);
        SearchStatements.Batch(command, Everything with { Indexed = [], ExcludedIndexed = [] }, 100, 50, 40, sqlServer: true);
        statements.Add(command.CommandText);

        foreach (var sql in statements)
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Message)) + "\n" + sql);
        }

        Assert.Contains("MessageTrigrams", statements[2]);
        Assert.Equal(["rvi", "vic", "ice", "ce-", "e-4", "-42"], SearchStatements.Trigrams("RVICE-42"));
    }

    [Fact]
    public async Task Search_FindsASubstring_OnRealSqlServer()
    {
        var connectionString = Environment.GetEnvironmentVariable("DUCKCHAT_TEST_SQLSERVER");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Skip("Skipped: set DUCKCHAT_TEST_SQLSERVER to a SQL Server connection string (a throwaway database) to run it; no SQL Server engine runs on Debian.");
        }

        await using var app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Database:Provider"] = "SqlServer", ["DuckChat:Database:ConnectionString"] = connectionString,
        });
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var alice = await app.CreatePersonAsync($"sqls-alice-{suffix}");
        var bob = await app.CreatePersonAsync($"sqls-bob-{suffix}");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync(bob.UserName!)).ChatId;
        var sent = (await app.ChatServiceFor(alice).SendAsync(chatId, $"restart service-{suffix} now", Guid.NewGuid())).Message!;

        var results = await app.ServiceFor<MessageSearch>(bob).SearchAsync($"rvice-{suffix}", null, TestContext.Current.CancellationToken);

        Assert.Equal(SearchOutcome.Found, results.Outcome);
        Assert.Equal(sent.Id, Assert.Single(results.Hits).MessageId);
    }
}
