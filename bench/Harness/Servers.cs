using System.Globalization;

namespace DuckChat.Bench.Harness;

/// <summary>How each server under test is started, configured and browsed.</summary>
public static class Servers
{
    /// <summary>
    /// DuckChat's limits that a benchmark would otherwise hit (every page is one person's tab, sign-ins repeat,
    /// one sender sends steadily, one person uploads file after file); everything else is the shipped configuration.
    /// Listed in the report.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DuckChatOverrides = new Dictionary<string, string>
    {
        ["DuckChat__Demo__Seed"] = "false",
        ["DuckChat__Chat__SendBurst"] = "10000",
        ["DuckChat__Chat__SendPerSecond"] = "1000",
        ["DuckChat__Security__LogInPerMinutePerAddress"] = "100000",
        ["DuckChat__Security__MaxCircuitsPerUser"] = "10000",
        ["DuckChat__Chat__WriteBurst"] = "10000",
        ["DuckChat__Chat__WritePerSecond"] = "1000",
        ["DuckChat__Files__QuotaBytesPerPerson"] = "0",
    };

    public static string DllPath(BenchOptions options, ServerKind kind) => kind == ServerKind.DuckChat
        ? Path.Combine(options.DuckChatDirectory, "DuckChat.Web.dll")
        : Path.Combine(options.BaselineDirectory, "DuckChat.Bench.Baseline.dll");

    /// <summary>The server's own settings: data folder (DuckChat) or database file (baseline), plus DuckChat's overrides.</summary>
    public static Dictionary<string, string> Settings(ServerKind kind, string dataDirectory) => kind == ServerKind.DuckChat
        ? new Dictionary<string, string>(DuckChatOverrides) { ["DuckChat__Database__DataDirectory"] = dataDirectory }
        : new Dictionary<string, string> { ["Baseline__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, BenchDatabase.FileName)}" };

    /// <summary>DuckChat knows the person from the sign-in cookie; the baseline page is told who it is.</summary>
    public static string ChatPath(ServerKind kind, int chatId, BenchUser user) => kind switch
    {
        ServerKind.DuckChat => string.Create(CultureInfo.InvariantCulture, $"/chats/{chatId}"),
        ServerKind.Baseline => string.Create(CultureInfo.InvariantCulture, $"/chat.html?chat={chatId}&user={Uri.EscapeDataString(user.Id)}&name={Uri.EscapeDataString(user.UserName)}"),
        _ => "/empty",
    };

    /// <summary>The page is usable: the composer sends on Enter (both chats set this once connected), or the empty page is interactive.</summary>
    public static string ReadySelector(ServerKind kind) =>
        kind == ServerKind.BlazorFloor ? "p[data-ready='true']" : ".composer-input[data-ready='true']";
}
