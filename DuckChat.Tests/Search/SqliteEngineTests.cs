using Microsoft.Data.Sqlite;

namespace DuckChat.Tests.Search;

/// <summary>What search is built on: the SQLite bundled with Microsoft.Data.Sqlite, as the app opens it.</summary>
public sealed class SqliteEngineTests
{
    [Fact]
    public void BundledSqlite_HasFts5WithTheTrigramTokenizer_FoldingCaseAndDiacritics()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram remove_diacritics 1')");
        Execute(connection, "INSERT INTO t(x) VALUES ('see http://internal.example'), ('Café Ünïcode'), ('明天的会议'), ('nothing')");

        Assert.Equal(["see http://internal.example"], Match(connection, "ttp://inter"));
        Assert.Equal(["Café Ünïcode"], Match(connection, "cafe"));
        Assert.Equal(["Café Ünïcode"], Match(connection, "UNICO"));
        Assert.Equal(["明天的会议"], Match(connection, "的会议"));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Match(SqliteConnection connection, string term)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT x FROM t WHERE t MATCH @q";
        command.Parameters.AddWithValue("@q", "\"" + term.Replace("\"", "\"\"") + "\"");
        using var reader = command.ExecuteReader();
        var found = new List<string>();
        while (reader.Read())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }
}
