using System.Globalization;

namespace DuckChat.Bench.Search;

/// <summary>The query classes the bench times, each a handful of queries searched in turn, for one person.</summary>
public static class SearchQueries
{
    public const string Substrings = "substring 3–10 chars";

    /// <summary>Whether a class has words only (no operators, no word too short for the index).</summary>
    public static bool WordsOnly(string name) => name is not ("operators" or Short);

    private const string Short = "short (<3, recent scan)";

    public static IReadOnlyList<(string Name, IReadOnlyList<string> Queries)> Classes(SeededChats seeded, IReadOnlyList<int> myChats, int person)
    {
        var chat = seeded.ChatNames[myChats[0]];
        var other = seeded.Members[myChats[0]].First(m => m != person);
        var from = $"sender{other + 1:D2}";
        var middle = (seeded.FirstSentAt + (seeded.LastSentAt - seeded.FirstSentAt) / 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            (Substrings, ["rvice-4", "ttp://inter", "getUser", "ById", "nal.examp", "ривет", "сообщ", "数据库", "ありがと", "onsect", "eploy", "atenc"]),
            ("2-char CJK", ["会议", "数据", "東京", "確認", "问题", "明天"]),
            ("phrase", ["\"quick brown\"", "\"internal.example/wiki\"", "\"база данных\"", "\"dolor sit\"", "\"deploy failed\""]),
            ("operators", [$"from:{from} deploy", $"in:{chat} error", "has:link", $"before:{middle} service", $"has:link in:{chat}", $"after:{middle} 会议"]),
            ("multi-word", ["deploy service-42", "база данных", "quick failed", "会议 明天", "getUserById null"]),
            ("nowhere", [SearchSeed.Nowhere, "qqxzjwvk", "无此词语汇"]),
            (Short, ["db", "ok"]),
        ];
    }
}
