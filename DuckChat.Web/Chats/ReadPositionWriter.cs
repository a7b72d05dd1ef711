using System.Data.Common;
using DuckChat.Web.Accounts;

namespace DuckChat.Web.Chats;

/// <summary>
/// Saves how far this circuit's reader has read, at most once a second per circuit. Without it every message
/// delivered to an open page cost a database write and a bus event to each of the reader's tabs. The first
/// position is saved at once (opening a chat reads it), later ones when the second is over, only the newest of a
/// burst. A failed write is kept and tried again, waiting longer each time; what is pending is saved when the
/// circuit ends.
/// </summary>
public sealed class ReadPositionWriter(ReadService reads, TimeProvider time, ILogger<ReadPositionWriter> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _pending = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _oneWriteAtATime = new(1, 1);
    private DateTimeOffset _nextWrite = DateTimeOffset.MinValue;
    private Task _writer = Task.CompletedTask;
    private bool _writing; // under _gate: set when a writer starts, cleared as it finds nothing pending

    /// <summary>Saves, now or within <see cref="Interval"/>, that I have read chat <paramref name="chatId"/> up to <paramref name="seq"/>.</summary>
    public void Advance(int chatId, long seq)
    {
        lock (_gate)
        {
            _pending[chatId] = Math.Max(seq, _pending.GetValueOrDefault(chatId));
            if (!_writing && !_stopping.IsCancellationRequested)
            {
                _writing = true;
                _writer = Task.Run(WriteWhilePendingAsync);
            }
        }
    }

    /// <summary>
    /// Marks the message <paramref name="seq"/> and all after it unread, after any read position being saved and
    /// instead of any waiting, so an earlier read cannot land after it and undo it.
    /// </summary>
    public async Task<ChangeResult> MarkUnreadAsync(int chatId, long seq)
    {
        lock (_gate)
        {
            _pending.Remove(chatId);
        }

        await _oneWriteAtATime.WaitAsync();
        try
        {
            return await reads.MarkUnreadAsync(chatId, seq);
        }
        finally
        {
            _oneWriteAtATime.Release();
        }
    }

    private async Task WriteWhilePendingAsync()
    {
        try
        {
            await WriteUntilNothingPendingAsync();
        }
        catch (Exception e)
        {
            // A fire-and-forget task: an unexpected failure must reach the log, not vanish.
            logger.LogError(e, "Saving read positions failed");
            lock (_gate)
            {
                _writing = false;
            }
        }
    }

    private async Task WriteUntilNothingPendingAsync()
    {
        var failures = 0;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                wait = _nextWrite - time.GetUtcNow();
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return; // The circuit is ending: DisposeAsync saves what is pending (and no writer starts again).
                }
            }

            var saved = await WritePendingAsync();
            failures = saved ? 0 : failures + 1;
            var pause = saved ? Interval : TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, Interval.Ticks << Math.Min(failures, 5)));
            lock (_gate)
            {
                _nextWrite = time.GetUtcNow() + pause;
            }
        }
    }

    private async Task<bool> WritePendingAsync()
    {
        KeyValuePair<int, long>[] positions;
        lock (_gate)
        {
            positions = [.. _pending];
            _pending.Clear();
        }

        var saved = true;
        foreach (var (chatId, seq) in positions)
        {
            await _oneWriteAtATime.WaitAsync();
            try
            {
                await reads.MarkReadAsync(chatId, seq);
            }
            catch (SignedOutException)
            {
                return true; // Nothing more may be saved for this reader; the page says so on its next action.
            }
            catch (DbException e)
            {
                // The database is in trouble: the page keeps working, and the position is tried again later.
                logger.LogWarning(e, "Could not save the read position in chat {ChatId}", chatId);
                lock (_gate)
                {
                    _pending[chatId] = Math.Max(seq, _pending.GetValueOrDefault(chatId));
                }

                saved = false;
            }
            finally
            {
                _oneWriteAtATime.Release();
            }
        }

        return saved;
    }

    public async ValueTask DisposeAsync()
    {
        Task writer;
        lock (_gate)
        {
            _stopping.Cancel();
            writer = _writer;
        }

        await writer;
        await WritePendingAsync();
        _stopping.Dispose();
        _oneWriteAtATime.Dispose();
    }
}
