using System.Globalization;

namespace DuckChat.Bench.Harness;

/// <summary>What to measure and how much. The defaults are the full run the issue asks for (about an hour).</summary>
public sealed record BenchOptions
{
    /// <summary>The published (or built) DuckChat.Web folder, holding DuckChat.Web.dll.</summary>
    public required string DuckChatDirectory { get; init; }

    /// <summary>The published (or built) baseline folder, holding DuckChat.Bench.Baseline.dll.</summary>
    public required string BaselineDirectory { get; init; }

    /// <summary>Where the report goes (&lt;date&gt;.md, .json, .svg).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Production for published output; Development serves an unpublished build's static assets.</summary>
    public string Environment { get; init; } = "Production";

    /// <summary>"full" or "tiny": written into the report so a smoke-size run is never mistaken for a real one.</summary>
    public string Size { get; init; } = "full";

    /// <summary>M5's results, written by DuckChat.Bench.Bus; the report includes them when present.</summary>
    public string? BusResultsFile { get; init; }

    /// <summary>The send path's results (issue 15, 5a), written by DuckChat.Bench.SendPath; the report includes them when present.</summary>
    public string? SendPathResultsFile { get; init; }

    public IReadOnlySet<Phase> Phases { get; init; } = new HashSet<Phase>(Enum.GetValues<Phase>());

    // M1 / M3
    public int Messages { get; init; } = 300;
    public int WarmupMessages { get; init; } = 30;
    public double MessagesPerSecond { get; init; } = 2;
    public int Rounds { get; init; } = 3;
    public IReadOnlyList<int> Receivers { get; init; } = [1, 5];

    /// <summary>Messages already in the chat for the "big chat" runs; 0 measures the fresh chat only.</summary>
    public int BigChatMessages { get; init; } = 10_000;

    // M4
    public IReadOnlyList<int> MemoryPages { get; init; } = [0, 50, 100, 200];
    public int MemoryChatMessages { get; init; } = 50;

    /// <summary>Where M4 writes a heap snapshot of the server at each step (dotnet-gcdump), to see what a page holds; none when null.</summary>
    public string? GcDumpDirectory { get; init; }

    // M6
    public IReadOnlyList<int> HistorySizes { get; init; } = [1_000, 10_000, 100_000];
    public int HistoryLoads { get; init; } = 20;

    // Faithfulness of the circuit client: N client circuits beside Chromium pages in one chat, one Chromium sender.
    public IReadOnlyList<int> FaithfulnessCircuits { get; init; } = [1, 5, 20];

    /// <summary>Chromium receivers beside the circuits: as many, up to this (with more, the pages compete for the client core and the figures measure Chromium).</summary>
    public int FaithfulnessBrowsers { get; init; } = 5;

    public int FaithfulnessMessages { get; init; } = 60;

    // M2: many circuits without browsers.
    public IReadOnlyList<int> CircuitSteps { get; init; } = [100, 500, 1_000, 2_000, 5_000];

    /// <summary>Viewers of each chat (every one a different person); every chat is active.</summary>
    public int ViewersPerChat { get; init; } = 10;

    /// <summary>Tabs each person holds at the largest step, which sets how many accounts are seeded (5,000 / 20 = 250).</summary>
    public int TabsPerAccount { get; init; } = 20;

    /// <summary>Messages already in each chat, so every page opens on a history.</summary>
    public int CircuitChatHistory { get; init; } = 20;

    /// <summary>Messages per second in total, spread over the chats in turn.</summary>
    public double CircuitMessagesPerSecond { get; init; } = 100;

    public int CircuitWarmupSeconds { get; init; } = 5;

    public int CircuitMeasureSeconds { get; init; } = 20;

    /// <summary>Each team message is preceded by a typing signal from its sender (what the typing script sends while a person types).</summary>
    public bool CircuitTyping { get; init; }

    /// <summary>
    /// The longest the harness waits for a step's server to drain before its load (every message sent so far shown by
    /// every circuit that should show it, then the server quiet), and for a step's own messages to arrive after it.
    /// </summary>
    public int CircuitDrainCapSeconds { get; init; } = 120;

    /// <summary>The broadcast case: this many viewers of one chat (tabs of the same accounts) ...</summary>
    public int BroadcastViewers { get; init; } = 1_000;

    /// <summary>... with one of them sending at this rate.</summary>
    public double BroadcastMessagesPerSecond { get; init; } = 2;

    public int BroadcastMeasureSeconds { get; init; } = 30;

    // Uploads (issue 18): one person's files one after another, one image, then files sent in parallel by as many people.
    /// <summary>Each generated file's size in MiB (the default is DuckChat's largest file).</summary>
    public int UploadMebibytes { get; init; } = 25;

    /// <summary>Files one person uploads one after another, after one warm-up upload.</summary>
    public int Uploads { get; init; } = 5;

    /// <summary>Files uploaded at once, each by a person of their own, while the server's memory is sampled.</summary>
    public int ParallelUploads { get; init; } = 10;

    /// <summary>The JPEG uploaded to time its thumbnail; a width of 0 leaves it out.</summary>
    public int UploadImageWidth { get; init; } = 4000;

    public int UploadImageHeight { get; init; } = 3000;

    /// <summary>A run of a minute or two that exercises every phase (numbers meaningless).</summary>
    public BenchOptions AsTiny() => this with
    {
        Size = "tiny", Messages = 5, WarmupMessages = 2, MessagesPerSecond = 5, Rounds = 1, Receivers = [1], BigChatMessages = 200,
        MemoryPages = [0, 2], MemoryChatMessages = 50, HistorySizes = [100, 1_000], HistoryLoads = 3,
        FaithfulnessCircuits = [2], FaithfulnessBrowsers = 1, FaithfulnessMessages = 4,
        CircuitSteps = [4, 8], ViewersPerChat = 2, TabsPerAccount = 2, CircuitChatHistory = 3, CircuitMessagesPerSecond = 10,
        CircuitWarmupSeconds = 1, CircuitMeasureSeconds = 1, CircuitDrainCapSeconds = 30, BroadcastViewers = 4, BroadcastMessagesPerSecond = 5, BroadcastMeasureSeconds = 1,
        UploadMebibytes = 1, Uploads = 2, ParallelUploads = 3, UploadImageWidth = 640, UploadImageHeight = 480,
    };

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        IReadOnlyList<int> Ints(string name, IReadOnlyList<int> fallback) =>
            Value(name) is { } v ? v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : fallback;

        var options = new BenchOptions
        {
            DuckChatDirectory = Path.GetFullPath(Value("--duckchat") ?? throw new ArgumentException("--duckchat DIR is required")),
            BaselineDirectory = Path.GetFullPath(Value("--baseline") ?? throw new ArgumentException("--baseline DIR is required")),
            OutputDirectory = Path.GetFullPath(Value("--out") ?? throw new ArgumentException("--out DIR is required")),
        };
        var image = Value("--upload-image") is { } size ? size.Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : null;
        if (image is not null && image.Length != 2)
        {
            throw new ArgumentException("--upload-image takes WIDTHxHEIGHT, for example 4000x3000");
        }

        if (args.Contains("--tiny"))
        {
            options = options.AsTiny();
        }

        return options with
        {
            Environment = Value("--environment") ?? options.Environment,
            BusResultsFile = Value("--bus") ?? options.BusResultsFile,
            SendPathResultsFile = Value("--sendpath") ?? options.SendPathResultsFile,
            Phases = Value("--only") is { } only
                ? only.Split(',').Select(p => Enum.Parse<Phase>(p, ignoreCase: true)).ToHashSet()
                : options.Phases,
            Messages = Int("--messages", options.Messages),
            WarmupMessages = Int("--warmup", options.WarmupMessages),
            MessagesPerSecond = Value("--rate") is { } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : options.MessagesPerSecond,
            Rounds = Int("--rounds", options.Rounds),
            Receivers = Ints("--receivers", options.Receivers),
            BigChatMessages = Int("--big-chat", options.BigChatMessages),
            MemoryPages = Ints("--pages", options.MemoryPages),
            GcDumpDirectory = Value("--gcdump") is { } dumps ? Path.GetFullPath(dumps) : null,
            HistorySizes = Ints("--history-sizes", options.HistorySizes),
            HistoryLoads = Int("--history-loads", options.HistoryLoads),
            FaithfulnessCircuits = Ints("--faithfulness", options.FaithfulnessCircuits),
            FaithfulnessMessages = Int("--faithfulness-messages", options.FaithfulnessMessages),
            FaithfulnessBrowsers = Int("--faithfulness-browsers", options.FaithfulnessBrowsers),
            CircuitSteps = Ints("--circuits", options.CircuitSteps),
            CircuitMessagesPerSecond = Value("--circuit-rate") is { } circuitRate ? double.Parse(circuitRate, CultureInfo.InvariantCulture) : options.CircuitMessagesPerSecond,
            CircuitMeasureSeconds = Int("--circuit-seconds", options.CircuitMeasureSeconds),
            CircuitDrainCapSeconds = Int("--drain-cap", options.CircuitDrainCapSeconds),
            CircuitTyping = args.Contains("--typing") || options.CircuitTyping,
            TabsPerAccount = Int("--tabs-per-person", options.TabsPerAccount),
            BroadcastViewers = Int("--broadcast", options.BroadcastViewers),
            UploadMebibytes = Int("--upload-mib", options.UploadMebibytes),
            Uploads = Int("--uploads", options.Uploads),
            ParallelUploads = Int("--parallel-uploads", options.ParallelUploads),
            UploadImageWidth = image?[0] ?? options.UploadImageWidth,
            UploadImageHeight = image?[1] ?? options.UploadImageHeight,
        };
    }

    public const string Usage = """
        Usage: DuckChat.Bench.Harness --duckchat DIR --baseline DIR --out DIR [--tiny] [options]
          --environment NAME     ASPNETCORE_ENVIRONMENT of both servers (Production; Development for unpublished builds)
          --only PHASES          latency,memory,history,faithfulness,circuits,sendpath,uploads (default: all)
          --bus FILE             M5 results from DuckChat.Bench.Bus, included in the report
          --sendpath FILE        send-path results from DuckChat.Bench.SendPath, included in the report
          --messages N --warmup N --rate PER_SECOND --rounds N --receivers 1,5 --big-chat N     (M1, M3)
          --pages 0,50,100,200 --gcdump DIR   (DIR: a heap snapshot per step, for dotnet-gcdump report)   (M4)
          --history-sizes 1000,10000,100000 --history-loads N                                     (M6)
          --faithfulness 1,5,20 --faithfulness-messages N --faithfulness-browsers N (circuit client beside Chromium)
          --circuits 100,500,1000,2000,5000 --circuit-rate PER_SECOND --circuit-seconds N --tabs-per-person N --drain-cap SECONDS --typing
          --broadcast VIEWERS (0: none)                                                             (M2)
          --upload-mib N --uploads N --parallel-uploads N --upload-image 4000x3000 (0x0: none)     (uploads)
        """;
}

/// <summary>
/// What the harness measures. SendPath is run by bench/run.sh as a process of its own (like M5), pinned as the server
/// is; the harness only adds its results (--sendpath FILE), so --only sendpath writes a report of those alone.
/// </summary>
public enum Phase { Latency, Memory, History, Faithfulness, Circuits, SendPath, Uploads }
