using System.Data.Common;
using DuckChat.Web.Accounts;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats;

/// <summary>
/// Saves the read positions of every open tab on this server together, in one round at most once a second: each
/// tab saving its own cost a write per tab per message, and thousands of open tabs queued for SQLite's one writer
/// (benchmark M2). The first position after a quiet second is saved at once (opening a chat reads it); later ones
/// when the second is over, only the newest per person and chat. A round checks the readers' accounts in one query
/// (a signed-out or locked reader's positions are dropped) and writes in transactions of at most
/// <see cref="WritesPerTransaction"/>, so a send never waits long behind it. A failed round is kept and tried again,
/// waiting longer each time; what is pending is saved when the server stops (as a hosted service, so before the
/// database's services are gone).
/// </summary>
public sealed class ReadPositionQueue(IDbContextFactory<ChatDbContext> factory, IMessageBus bus, TimeProvider time, ILogger<ReadPositionQueue> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const int WritesPerTransaction = 100;
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string UserId, int ChatId), (SignedInUser Reader, long Seq)> _pending = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _oneRoundAtATime = new(1, 1);
    private DateTimeOffset _nextRound = DateTimeOffset.MinValue;
    private Task _writer = Task.CompletedTask;
    private bool _writing; // under _gate: set when a writer starts, cleared as it finds nothing pending
    private Task? _stopped; // under _gate: the one save StopAsync makes
    private bool _disposed; // under _gate

    /// <summary>Saves, now or within <see cref="Interval"/>, that <paramref name="reader"/> has read chat <paramref name="chatId"/> up to <paramref name="seq"/>.</summary>
    public void Advance(SignedInUser reader, int chatId, long seq)
    {
        lock (_gate)
        {
            var key = (reader.Id, chatId);
            _pending[key] = (reader, Math.Max(seq, _pending.TryGetValue(key, out var waiting) ? waiting.Seq : 0));
            if (!_writing && !_stopping.IsCancellationRequested)
            {
                _writing = true;
                _writer = Task.Run(WriteWhilePendingAsync);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="markUnread"/> after any round saving <paramref name="userId"/>'s position in the chat and
    /// instead of any position still waiting, so an earlier read cannot land after it and undo it.
    /// </summary>
    public async Task<ChangeResult> MarkUnreadAsync(string userId, int chatId, Func<Task<ChangeResult>> markUnread)
    {
        lock (_gate)
        {
            _pending.Remove((userId, chatId));
        }

        await _oneRoundAtATime.WaitAsync();
        try
        {
            return await markUnread();
        }
        finally
        {
            _oneRoundAtATime.Release();
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
            // A background task: an unexpected failure must reach the log, not vanish.
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

                wait = _nextRound - time.GetUtcNow();
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return; // The server is stopping: StopAsync saves what is pending (and no writer starts again).
                }
            }

            var saved = await WriteRoundAsync();
            failures = saved ? 0 : failures + 1;
            var pause = saved ? Interval : TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, Interval.Ticks << Math.Min(failures, 5)));
            lock (_gate)
            {
                _nextRound = time.GetUtcNow() + pause;
            }
        }
    }

    private async Task<bool> WriteRoundAsync()
    {
        await _oneRoundAtATime.WaitAsync();
        List<(SignedInUser Reader, int ChatId, long Seq)> round;
        lock (_gate)
        {
            round = [.. _pending.Select(p => (p.Value.Reader, p.Key.ChatId, p.Value.Seq))];
            _pending.Clear();
        }

        try
        {
            if (round.Count > 0)
            {
                await WriteAsync(round);
            }

            return true;
        }
        catch (DbException e)
        {
            // The database is in trouble: pages keep working, and the positions are tried again later.
            logger.LogWarning(e, "Could not save {Count} read positions", round.Count);
            lock (_gate)
            {
                foreach (var (reader, chatId, seq) in round)
                {
                    var key = (reader.Id, chatId);
                    if (!_pending.TryGetValue(key, out var newer) || newer.Seq < seq)
                    {
                        _pending[key] = (reader, seq);
                    }
                }
            }

            return false;
        }
        finally
        {
            _oneRoundAtATime.Release();
        }
    }

    private async Task WriteAsync(List<(SignedInUser Reader, int ChatId, long Seq)> round)
    {
        await using var db = await factory.CreateDbContextAsync();
        var userIds = round.Select(p => p.Reader.Id).Distinct().ToList();
        var signInIds = round.Select(p => p.Reader.SignInId).OfType<string>().Distinct().ToList();
        var accounts = await db.Users.Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.SecurityStamp, u.LockoutEnd })
            .ToDictionaryAsync(u => u.Id);
        var signIns = await db.SignIns.Where(s => signInIds.Contains(s.Id))
            .Select(s => new { s.Id, s.UserId, s.LastUsedAt })
            .ToDictionaryAsync(s => s.Id);
        var now = time.GetUtcNow();
        var allowed = round
            .Where(p => accounts.TryGetValue(p.Reader.Id, out var account) && p.Reader.MayAct(new AccountState(account.SecurityStamp, account.LockoutEnd,
                p.Reader.SignInId is { } signInId && signIns.TryGetValue(signInId, out var signIn) && signIn.UserId == p.Reader.Id ? signIn.LastUsedAt : null), now))
            .ToList();

        foreach (var chunk in allowed.Chunk(WritesPerTransaction))
        {
            var moved = new List<ReadPositionChanged>();
            // One commit for many positions; a retried attempt starts the list afresh.
            await db.InTransactionAsync(async transaction =>
            {
                moved.Clear();
                foreach (var (reader, chatId, seq) in chunk)
                {
                    var changed = await db.ChatMembers
                        .Where(m => m.ChatId == chatId && m.UserId == reader.Id && m.LastReadSeq < seq && m.Chat!.LastSeq >= seq)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, seq));
                    if (changed > 0)
                    {
                        moved.Add(new ReadPositionChanged(reader.Id, chatId, seq));
                    }
                }

                await transaction.CommitAsync();
            });

            foreach (var change in moved)
            {
                bus.Publish(Topics.User(change.UserId), change);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Saves what is pending; nothing is queued after this. A host may be stopped twice at once (under
    /// WebApplicationFactory the app's own <c>app.Run()</c> stops and disposes it as well): every call waits for the
    /// one save, so nobody disposes the queue while it is still writing.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped is null)
            {
                _stopping.Cancel();
                var writer = _writer;
                // Started on the thread pool: the save's first steps would otherwise run here, holding the gate.
                _stopped = Task.Run(() => SavePendingAsync(writer));
            }

            return _stopped;
        }
    }

    private async Task SavePendingAsync(Task writer)
    {
        await writer;
        await WriteRoundAsync();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // The container disposes it twice (as itself and as the hosted service it is registered as).
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping.Cancel();
        }

        _stopping.Dispose();
        _oneRoundAtATime.Dispose();
    }
}
