using System.Globalization;
using System.Text;

namespace DuckChat.Bench.Search;

/// <summary>The kinds of message the seeded chats hold, each with its share of the messages.</summary>
public enum MessageMix
{
    English,
    Latin,
    Cyrillic,
    Chinese,
    Japanese,
    Code,
    Links,
}

/// <summary>
/// Message bodies of mixed languages, made from a seeded random source so every run holds the same text: English and
/// Latin prose, Russian, Chinese and Japanese (no spaces between words), code identifiers (<c>service-42</c>,
/// <c>getUserById</c>, host names) and links, bare or as Markdown (where the address is hidden from the plain text
/// but still searched).
/// </summary>
public sealed class SearchCorpus(int seed)
{
    /// <summary>Shares of the mix, in per mille, in the order of <see cref="MessageMix"/>.</summary>
    public static readonly IReadOnlyList<(MessageMix Kind, int PerMille)> Shares =
    [
        (MessageMix.English, 300), (MessageMix.Latin, 100), (MessageMix.Cyrillic, 150), (MessageMix.Chinese, 120),
        (MessageMix.Japanese, 80), (MessageMix.Code, 150), (MessageMix.Links, 100),
    ];

    private static readonly string[] English =
    ("the a we it is was quick brown duck deploy failed release meeting tomorrow review please check build test error " +
     "server client database query index latency budget schedule team project update merge branch fix issue ticket " +
     "customer invoice report weekly status green red blocked done working lunch coffee morning afternoon thanks " +
     "agreed maybe later today yesterday rollback restart config cache memory disk network timeout retry queue").Split(' ');

    private static readonly string[] Latin =
    ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore " +
     "magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat").Split(' ');

    private static readonly string[] Russian =
    ("привет как дела база данных сервер запрос ошибка сборка завтра встреча отчёт проверь пожалуйста готово " +
     "сообщение пользователь команда проект релиз откат память диск сеть очередь спасибо сегодня вчера утром").Split(' ');

    private static readonly string[] Chinese =
    ("会议 明天 数据 数据库 服务器 问题 确认 部署 失败 测试 报告 客户 项目 团队 更新 今天 下午 上午 检查 " +
     "网络 内存 缓存 查询 索引 延迟 版本 发布 回滚 重启 配置 需求 文档 用户 登录 权限").Split(' ');

    private static readonly string[] Japanese =
    ("ありがとう よろしく お願いします 会議 明日 東京 確認 資料 送ります データ サーバー エラー テスト " +
     "リリース 今日 午後 大阪 報告 ちょっと 待って 了解 です ます").Split(' ');

    private static readonly string[] Identifiers =
    ("getUserById parseConfig HttpClientFactory fetchOrders user_id order_total retryPolicy MessageSearch " +
     "buildIndex NullReferenceException OutOfMemory loadBalancer refreshToken").Split(' ');

    private readonly Random _random = new(seed);

    public MessageMix NextKind()
    {
        var roll = _random.Next(1000);
        foreach (var (kind, perMille) in Shares)
        {
            if ((roll -= perMille) < 0)
            {
                return kind;
            }
        }

        return MessageMix.English;
    }

    public string Body(MessageMix kind) => kind switch
    {
        MessageMix.English => Sentence(English, 6, 18, " ", ". "),
        MessageMix.Latin => Sentence(Latin, 6, 18, " ", ". "),
        MessageMix.Cyrillic => Sentence(Russian, 5, 14, " ", ". "),
        MessageMix.Chinese => Sentence(Chinese, 5, 14, "", "。"),
        MessageMix.Japanese => Sentence(Japanese, 4, 10, "", "。"),
        MessageMix.Code => _random.Next(3) switch
        {
            0 => $"{Pick(English)} {Service()} {Pick(["failed", "restarted", "is slow", "deployed"])} in {Pick(Identifiers)} at line {_random.Next(1, 900)}",
            1 => $"`{Pick(Identifiers)}()` returns null for {Pick(Identifiers)} on {Host()}",
            _ => $"{Sentence(English, 3, 8, " ", " ")}{Service()} and {Pick(Identifiers)}",
        },
        _ => _random.Next(2) == 0
            ? $"{Sentence(English, 3, 10, " ", " ")}http://{Host()}/wiki/{Pick(Identifiers)}/{_random.Next(10_000)}"
            : $"see [the runbook](https://internal.example/runbooks/{Service()}) {Sentence(English, 2, 8, " ", ".")}",
    };

    private string Service() => string.Create(CultureInfo.InvariantCulture, $"service-{_random.Next(1000)}");

    private string Host() => _random.Next(2) == 0 ? "internal.example" : string.Create(CultureInfo.InvariantCulture, $"db-{_random.Next(100):D2}.internal.example");

    private string Pick(string[] words) => words[_random.Next(words.Length)];

    private string Sentence(string[] words, int min, int max, string space, string end)
    {
        var text = new StringBuilder();
        var count = _random.Next(min, max + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : space).Append(Pick(words));
        }

        return text.Append(end).ToString();
    }
}
