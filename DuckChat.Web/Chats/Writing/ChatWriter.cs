using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using DuckChat.Web.Data;
using DuckChat.Web.Diagnostics;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DuckChat.Web.Chats.Writing;

/// <summary>
/// The one writer of messages and read positions on this instance. Callers queue work on a channel; one loop takes
/// everything queued, runs it in one transaction on its own connection with prepared statements, commits once, and
/// only then answers each caller (group commit): under load many sends share one commit, and a lone send is
/// written at once. Read positions are kept newest-first per person and chat and saved together at most once every
/// <see cref="ReadPositionInterval"/> (the first one after a quiet spell at once), so thousands of open tabs reading
/// a busy chat cost one statement each per interval, not one per message.
/// <para>Every check that must hold across instances is inside the statements (<see cref="WriteStatements"/>). A
/// batch that fails is rolled back and its work done again one item at a time, so one bad item fails only its own
/// caller. Stopping completes the channel: what is queued is still written, or its caller is told.</para>
/// </summary>
public sealed class ChatWriter(
    IDbContextFactory<ChatDbContext> factory,
    IMessageBus bus,
    DuckChatMetrics metrics,
    TimeProvider time,
    ILogger<ChatWriter> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan ReadPositionInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>At most this much work in one transaction, so no commit grows without bound.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _loop;

    // Owned by the loop alone: nothing else touches these.
    private readonly Dictionary<(string UserId, int ChatId), ReadPosition> _positions = [];
    private DateTimeOffset _positionsDue = DateTimeOffset.MinValue;
    private int _positionFailures;
    private ChatDbContext? _db;
    private WriteStatements? _statements;

    /// <summary>Appends a message once the checks in its statement pass; completes after the commit.</summary>
    public Task<Appended?> AppendAsync(AppendRequest request)
    {
        var item = new AppendItem(request);
        Enqueue(item);
        return item.Done.Task;
    }

    /// <summary>Saves within <see cref="ReadPositionInterval"/> that a reader has read a chat up to a Seq (newer positions win).</summary>
    public void AdvanceReadPosition(ReadPosition position) => Enqueue(new ReadPositionItem(position));

    /// <summary>
    /// Runs <paramref name="change"/> (say, a mark-unread) in the writer's order: after the saved read positions of
    /// <paramref name="reader"/> in <paramref name="chatId"/> and instead of any still waiting, which it would undo.
    /// </summary>
    public Task<T> ChangeReadPositionAsync<T>(string reader, int chatId, Func<ChatDbContext, Task<T>> change)
    {
        var item = new ReadPositionChangeItem<T>(change, (reader, chatId));
        Enqueue(item);
        return item.Done.Task;
    }

    /// <summary>
    /// Runs <paramref name="change"/> (an edit, a delete, a reaction) inside the writer's next transaction, with the
    /// time of that transaction; completes with its result after the commit. It checks and writes through the
    /// context it is given, whose transaction is already open.
    /// </summary>
    public Task<T> ChangeAsync<T>(Func<ChatDbContext, DateTime, Task<T>> change)
    {
        var item = new UnitItem<T>(change);
        Enqueue(item);
        return item.Done.Task;
    }

    private void Enqueue(WriteItem item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            item.Fail(new ObjectDisposedException(nameof(ChatWriter), "The server is stopping: nothing more is written."));
        }
    }

    /// <summary>Starts the loop (once, on the thread pool: it must never be skipped, or queued work would wait for ever).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Loop();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Nothing more is queued; the loop writes what is (read positions included) and then ends. Every caller waits for
    /// that (a host may stop this twice at once), and a writer never started still writes what was queued.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return Loop().WaitAsync(cancellationToken);
    }

    /// <summary>Nothing more is queued (the container disposes this after the host stopped it).</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private Task Loop()
    {
        lock (_starting)
        {
            return _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteItem>(MaxBatch);
        try
        {
            while (await WaitForWorkAsync(reader))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    switch (item)
                    {
                        case ReadPositionItem position:
                            Keep(position.Position);
                            break;
                        case IReadPositionChange change:
                            // Positions read before the change would undo it; those queued after it come after it.
                            _positions.Remove(change.Position);
                            batch.Add(item);
                            break;
                        default:
                            batch.Add(item);
                            break;
                    }
                }

                await WriteAsync(batch);
            }
        }
        finally
        {
            _statements?.Dispose();
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
        }
    }

    /// <summary>Waits for queued work or for waiting read positions to fall due; false once stopped and drained.</summary>
    private async Task<bool> WaitForWorkAsync(ChannelReader<WriteItem> reader)
    {
        while (true)
        {
            if (reader.TryPeek(out _))
            {
                return true;
            }

            if (_positions.Count > 0 && time.GetUtcNow() >= _positionsDue)
            {
                return true;
            }

            var read = reader.WaitToReadAsync().AsTask();
            if (_positions.Count > 0)
            {
                var due = Task.Delay(Max(TimeSpan.Zero, _positionsDue - time.GetUtcNow()), time);
                if (await Task.WhenAny(read, due) == due)
                {
                    return true;
                }
            }

            if (!await read)
            {
                return _positions.Count > 0; // stopped: the waiting positions are written now
            }
        }
    }

    private void Keep(ReadPosition position)
    {
        var key = (position.Reader.Id, position.ChatId);
        if (!_positions.TryGetValue(key, out var waiting) || waiting.Seq < position.Seq)
        {
            _positions[key] = position;
        }
    }

    private bool Stopping => _queue.Reader.Completion.IsCompleted;

    private async Task WriteAsync(List<WriteItem> batch)
    {
        var positions = _positions.Count > 0 && (time.GetUtcNow() >= _positionsDue || Stopping) ? _positions.Values.ToList() : [];
        if (positions.Count > 0)
        {
            _positions.Clear();
        }

        if (batch.Count == 0 && positions.Count == 0)
        {
            return;
        }

        try
        {
            var moved = await RunAsync(batch, positions);
            Answer(batch);
            Announce(moved);
            PositionsSaved(positions.Count > 0);
        }
        catch (Exception e) when (batch.Count + (positions.Count > 0 ? 1 : 0) > 1)
        {
            // Something in the batch failed and took the transaction with it: each piece again on its own, so
            // only the one that fails is told so.
            logger.LogDebug(e, "A write batch of {Count} failed; writing its items one at a time", batch.Count);
            metrics.DbWriteRetries.Add(1);
            foreach (var item in batch)
            {
                await WriteAloneAsync([item], []);
            }

            if (positions.Count > 0)
            {
                await WriteAloneAsync([], positions);
            }
        }
        catch (Exception e)
        {
            Fail(batch, positions, e);
        }
    }

    private async Task WriteAloneAsync(List<WriteItem> items, List<ReadPosition> positions)
    {
        try
        {
            var moved = await RunAsync(items, positions);
            Answer(items);
            Announce(moved);
            PositionsSaved(positions.Count > 0);
        }
        catch (Exception e)
        {
            Fail(items, positions, e);
        }
    }

    private void Fail(List<WriteItem> items, List<ReadPosition> positions, Exception e)
    {
        foreach (var item in items)
        {
            item.Fail(e);
        }

        if (positions.Count > 0 && Stopping)
        {
            logger.LogError(e, "Could not save {Count} read positions before stopping", positions.Count);
        }
        else if (positions.Count > 0)
        {
            // Positions are the server's own bookkeeping: kept (newer ones win) and tried again, later each time.
            logger.LogWarning(e, "Could not save {Count} read positions", positions.Count);
            foreach (var position in positions)
            {
                Keep(position);
            }

            _positionFailures++;
            _positionsDue = time.GetUtcNow() + Min(LongestRetry, ReadPositionInterval * (1 << Math.Min(_positionFailures, 5)));
        }

        Reset();
    }

    private void PositionsSaved(bool saved)
    {
        if (saved)
        {
            metrics.ReadPositionRounds.Add(1);
            _positionFailures = 0;
            _positionsDue = time.GetUtcNow() + ReadPositionInterval;
        }
    }

    /// <summary>One transaction for the items and the positions, as one unit of the provider's execution strategy.</summary>
    private async Task<List<ReadPositionChanged>> RunAsync(List<WriteItem> items, List<ReadPosition> positions)
    {
        var db = _db ??= await OpenAsync();
        var moved = new List<ReadPositionChanged>();
        using var telemetry = new CommitTelemetry(metrics, items.Select(item => item.Origin));
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            telemetry.Attempt();
            moved.Clear();
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var dbTransaction = transaction.GetDbTransaction();
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var item in items)
            {
                await item.RunAsync(db, _statements!, dbTransaction, now);
            }

            foreach (var position in positions)
            {
                if (await _statements!.AdvanceReadPositionAsync(dbTransaction, position, CancellationToken.None))
                {
                    moved.Add(new ReadPositionChanged(position.Reader.Id, position.ChatId, position.Seq));
                }
            }

            await transaction.CommitAsync();
            telemetry.Committed();
        });
        return moved;
    }

    /// <summary>A context of its own, kept open for the writer's life so that its statements stay prepared.</summary>
    private async Task<ChatDbContext> OpenAsync()
    {
        var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        _statements = WriteStatements.For(db);
        return db;
    }

    /// <summary>After a failure the connection may be broken: the next batch opens a new one.</summary>
    private void Reset()
    {
        _statements?.Dispose();
        _statements = null;
        _db?.Dispose();
        _db = null;
    }

    private static void Answer(List<WriteItem> items)
    {
        foreach (var item in items)
        {
            item.Complete();
        }
    }

    private void Announce(List<ReadPositionChanged> moved)
    {
        foreach (var change in moved)
        {
            bus.Publish(Topics.User(change.UserId), change);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private abstract class WriteItem
    {
        /// <summary>The span the work was queued under (a send's), which the commit links to.</summary>
        public ActivityContext Origin { get; } = DuckChatTelemetry.CurrentSend();

        /// <summary>Does the work inside the batch's transaction, keeping its result until the commit.</summary>
        public abstract Task RunAsync(ChatDbContext db, WriteStatements statements, DbTransaction transaction, DateTime now);

        /// <summary>The commit went through: the caller gets the result.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class AppendItem(AppendRequest request) : WriteItem
    {
        private Appended? _result;

        public TaskCompletionSource<Appended?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(ChatDbContext db, WriteStatements statements, DbTransaction transaction, DateTime now) =>
            _result = await statements.AppendAsync(transaction, request, now, CancellationToken.None);

        public override void Complete() => Done.TrySetResult(_result);

        public override void Fail(Exception e) => Done.TrySetException(e);
    }

    private sealed class ReadPositionItem(ReadPosition position) : WriteItem
    {
        public ReadPosition Position => position;

        public override Task RunAsync(ChatDbContext db, WriteStatements statements, DbTransaction transaction, DateTime now) => Task.CompletedTask;

        public override void Complete()
        {
        }

        public override void Fail(Exception e)
        {
        }
    }

    private interface IReadPositionChange
    {
        (string UserId, int ChatId) Position { get; }
    }

    private class UnitItem<T>(Func<ChatDbContext, DateTime, Task<T>> unit) : WriteItem
    {
        private T? _result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(ChatDbContext db, WriteStatements statements, DbTransaction transaction, DateTime now) =>
            _result = await unit(db, now);

        public override void Complete() => Done.TrySetResult(_result!);

        public override void Fail(Exception e) => Done.TrySetException(e);
    }

    private sealed class ReadPositionChangeItem<T>(Func<ChatDbContext, Task<T>> change, (string UserId, int ChatId) position)
        : UnitItem<T>((db, _) => change(db)), IReadPositionChange
    {
        public (string UserId, int ChatId) Position => position;
    }
}
