using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Files;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Bench.SendPath;

/// <summary>How much to send. The defaults are the real run; <see cref="AsTiny"/> only proves the plumbing.</summary>
public sealed record SendPathOptions
{
    /// <summary>Measured sends per case, split evenly over its senders.</summary>
    public int Sends { get; init; } = 2_000;

    /// <summary>Sends per case before its measured window (JIT, pools, caches), with the case's own concurrency.</summary>
    public int WarmupSends { get; init; } = 200;

    /// <summary>People sending at once in the concurrent cases (all in one chat, then each in a chat of their own).</summary>
    public int Senders { get; init; } = 16;

    /// <summary>A pause after each warm-up, so methods the warm-up made hot are recompiled before the window, not in it.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>"full" or "tiny": written into the results so a smoke-size run is never mistaken for a real one.</summary>
    public string Size { get; init; } = "full";

    public SendPathOptions AsTiny() => this with { Size = "tiny", Sends = 32, WarmupSends = 16, Settle = TimeSpan.Zero };
}

/// <summary>
/// Issue 15, 5a: the cost of a send on the server, away from circuits and rendering. The app's real services in this
/// process on a temporary SQLite file; each person a tab of their own (a circuit's service scope, signed in with a live
/// sign-in), sending through <c>ChatService.SendAsync</c> with a fresh client message id, as the composer does, so the
/// account check and the membership check run on every send. Cases: one sender; N senders in one group chat of N
/// people; N senders each in their own group of the same N people (the same member lists; only the chat differs, so
/// sends that would commit together meet, or do not meet, on one chat row).
/// </summary>
public static class SendPathBench
{
    private const string Body = "the quick brown duck waddles over the lazy dog";

    public static async Task<SendPathRun> RunAsync(SendPathOptions options, TextWriter log)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "duckchat-sendpath", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var efCommands = new EfCommandCounter();
        try
        {
            await using var app = new SendPathApp(dataDirectory, efCommands);
            using var statements = SqliteStatementCounter.Watch(app.DatabaseFile);
            app.Start();
            var people = await app.CreatePeopleAsync(options.Senders);
            var together = await app.CreateGroupAsync("everyone", people);
            var own = new List<int>();
            foreach (var person in people)
            {
                own.Add(await app.CreateGroupAsync($"{person.Identity!.Name}'s", people));
            }

            var tabs = people.Select(app.OpenTab).ToList();
            try
            {
                // Changes to a message go through the same writer: a reaction toggled on (and off) one message, and an
                // edit of one's own message, each by one person, beside a send.
                var target = (await tabs[0].Chats.SendAsync(together, Body, Guid.NewGuid())).Message!.Id;
                Operation send = (tab, chat, text) => Failure(tab.Chats.SendAsync(chat, text, Guid.NewGuid()), r => r.Succeeded ? null : $"{r.Outcome}: {r.Error}");
                Operation react = (tab, chat, _) => Failure(tab.Actions.ToggleReactionAsync(chat, target, "👍️"), r => r.Error);
                Operation edit = (tab, chat, text) => Failure(tab.Actions.EditAsync(chat, target, text), r => r.Error);
                // A send that mentions someone also records the mention in the append's transaction.
                var mentioned = people[^1].Identity!.Name;
                Operation mention = (tab, chat, text) => Failure(tab.Chats.SendAsync(chat, $"@{mentioned} {text}", Guid.NewGuid()), r => r.Succeeded ? null : $"{r.Outcome}: {r.Error}");
                // Files: an upload (the endpoint's work: reserve, receive, sniff, store, mark stored), and a send that takes
                // one uploaded beforehand, as the composer sends what it uploaded.
                var uploads = app.Services.GetRequiredService<FileUploads>();
                var uploader = SignedInUser.From(people[0], app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value)!;
                var note = new byte[10 * 1024];
                Operation upload = (_, chat, _) => Failure(uploads.UploadAsync(uploader, chat, "note.txt", note.Length, new MemoryStream(note), CancellationToken.None),
                    r => r.File is null ? $"{r.Error}: {r.Message}" : null);
                var uploaded = new ConcurrentQueue<string>();
                for (var i = 0; i < options.WarmupSends + options.Sends; i++)
                {
                    uploaded.Enqueue((await uploads.UploadAsync(uploader, together, "note.txt", note.Length, new MemoryStream(note), CancellationToken.None)).File!.Id);
                }

                Operation sendFile = (tab, chat, text) => Failure(tab.Chats.SendAsync(chat, text, Guid.NewGuid(), fileIds: [uploaded.TryDequeue(out var id) ? id : ""]),
                    r => r.Succeeded ? null : $"{r.Outcome}: {r.Error}");
                var muteLevel = 0;
                Operation mute = (tab, chat, _) => Failure(tab.Settings.MuteAsync(chat, (DuckChat.Web.Data.MuteLevel)(++muteLevel % 3)), r => r.Error);
                var cases = new List<(string Name, List<(SenderTab Tab, int Chat)> Senders, Operation Operation)>
                {
                    ("1 sender", [(tabs[0], together)], send),
                    ($"{people.Count} senders, one chat", [.. tabs.Select(t => (t, together))], send),
                    ($"{people.Count} senders, {people.Count} chats", [.. tabs.Select((t, i) => (t, own[i]))], send),
                    ("1 reactor (toggle)", [(tabs[^1], together)], react),
                    ("1 editor", [(tabs[0], together)], edit),
                    ("1 sender, a mention", [(tabs[0], together)], mention),
                    ("1 muter", [(tabs[0], together)], mute),
                    ("1 sender, a file", [(tabs[0], together)], sendFile),
                    ("1 uploader (10 KB)", [(tabs[0], together)], upload),
                };
                var results = new List<SendPathResult>();
                foreach (var (name, senders, operation) in cases)
                {
                    var result = await MeasureAsync(name, senders, operation, options, efCommands, statements);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"send path {name,-22}: CPU {result.CpuMicrosecondsPerSend,7:F0} µs/send, {result.AllocatedBytesPerSend / 1024,6:F1} KB/send, " +
                        $"{result.StatementsPerSend:F2} statements/send ({result.EfCommandsPerSend:F2} EF commands), " +
                        $"wall p50 {result.P50Ms:F2} ms p99 {result.P99Ms:F2} ms, {result.SendsPerSecond:F0} sends/s, {result.Failed} failed"));
                    results.Add(result);
                }

                if (statements.ConnectionsTraced == 0)
                {
                    throw new InvalidOperationException($"No connection to {app.DatabaseFile} was traced: the statement counts are missing.");
                }

                var (version, journal, synchronous) = await SqliteSetupAsync(app);
                return new SendPathRun(options.Size, version, journal, synchronous,
                    SendPathApp.Overrides, options.WarmupSends, results);
            }
            finally
            {
                foreach (var tab in tabs)
                {
                    await tab.DisposeAsync();
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>One send or change by a tab in a chat, with the text to use; what went wrong, or null.</summary>
    private delegate Task<string?> Operation(SenderTab tab, int chat, string text);

    private static async Task<string?> Failure<T>(Task<T> operation, Func<T, string?> failure) => failure(await operation);

    private static async Task<SendPathResult> MeasureAsync(
        string name, List<(SenderTab Tab, int Chat)> senders, Operation operation, SendPathOptions options, EfCommandCounter efCommands, SqliteStatementCounter statements)
    {
        await Burst.Prepare(senders, operation, options.WarmupSends, $"warm {name}").RunAsync();
        await Task.Delay(options.Settle);
        var burst = Burst.Prepare(senders, operation, options.Sends, name);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        var before = Meter.Read(efCommands, statements);
        await burst.RunAsync();
        var after = Meter.Read(efCommands, statements);

        return new SendPathResult(
            name, senders.Count, senders.Select(s => s.Chat).Distinct().Count(), options.Sends, burst.Failures.Count, burst.Failures.FirstOrDefault(),
            Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds,
            (after.Cpu.UserTime - before.Cpu.UserTime).TotalSeconds, (after.Cpu.PrivilegedTime - before.Cpu.PrivilegedTime).TotalSeconds,
            after.Allocated - before.Allocated, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2,
            after.EfCommands - before.EfCommands, SqliteStatementCounter.Between(before.Statements, after.Statements),
            burst.SendMs);
    }

    /// <summary>SQLite's version and how it keeps the file, as the app's own connections have it (synchronous is per connection).</summary>
    private static async Task<(string Version, string Journal, string Synchronous)> SqliteSetupAsync(SendPathApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        async Task<string> Pragma(string pragma)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA {pragma};";
            return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        }

        var synchronous = await Pragma("synchronous") switch { "0" => "OFF", "1" => "NORMAL", "2" => "FULL", "3" => "EXTRA", var other => other };
        return (db.Database.GetDbConnection().ServerVersion, await Pragma("journal_mode"), synchronous);
    }

    /// <summary>Everything measured over a window, read at one edge of it (the reading's own allocations fall outside).</summary>
    private sealed record Meter(IReadOnlyDictionary<string, (long Count, long FirstSeen)> Statements, long EfCommands, int Gen0, int Gen1, int Gen2, long Allocated, Environment.ProcessCpuUsage Cpu, long Timestamp)
    {
        public static Meter Read(EfCommandCounter efCommands, SqliteStatementCounter statements)
        {
            var counted = statements.Snapshot();
            return new Meter(counted, efCommands.Commands, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                GC.GetTotalAllocatedBytes(precise: true), Environment.CpuUsage, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// Sends split over senders, each sender one send after another (as a person's composer: a send finishes before the
    /// next), all senders starting together. Bodies and tasks are made before the window; a send's own work is all
    /// that runs in it.
    /// </summary>
    private sealed class Burst
    {
        private readonly TaskCompletionSource _start = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Task> _senders = [];
        private readonly List<double[]> _ms = [];

        public ConcurrentQueue<string> Failures { get; } = new();

        public IReadOnlyList<double> SendMs => [.. _ms.SelectMany(m => m)];

        public static Burst Prepare(List<(SenderTab Tab, int Chat)> senders, Operation operation, int sends, string label)
        {
            var burst = new Burst();
            for (var s = 0; s < senders.Count; s++)
            {
                var (tab, chat) = senders[s];
                var count = sends / senders.Count + (s < sends % senders.Count ? 1 : 0);
                var bodies = Enumerable.Range(0, count).Select(k => string.Create(CultureInfo.InvariantCulture, $"{label} {s}.{k}: {Body}")).ToArray();
                var ms = new double[count];
                burst._ms.Add(ms);
                burst._senders.Add(Task.Run(() => burst.SendAsync(operation, tab, chat, bodies, ms)));
            }

            return burst;
        }

        public Task RunAsync()
        {
            _start.SetResult();
            return Task.WhenAll(_senders);
        }

        private async Task SendAsync(Operation operation, SenderTab tab, int chat, string[] bodies, double[] ms)
        {
            await _start.Task;
            for (var k = 0; k < bodies.Length; k++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (await operation(tab, chat, bodies[k]) is { } failure)
                    {
                        Failures.Enqueue(failure);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Failures.Enqueue($"{e.GetType().Name}: {e.Message}");
                }

                ms[k] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
    }
}
