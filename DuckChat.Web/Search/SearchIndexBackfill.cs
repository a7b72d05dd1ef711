using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Search;

/// <summary>
/// Gives SearchText (and so an index entry) to every message saved before search existed, at start-up and in the
/// background: the app serves meanwhile, and readiness (<see cref="SearchIndexHealthCheck"/>) says so until it is done.
/// A database with nothing to fill is done before the app serves. Batches go through the writer, each the size of
/// <see cref="BatchSize"/>, so a send waits at most for one batch. The text is made before a batch is queued; a
/// message changed meanwhile (edited, deleted) keeps what its change wrote.
/// </summary>
public sealed class SearchIndexBackfill(IDbContextFactory<ChatDbContext> factory, ChatWriter writer, ILogger<SearchIndexBackfill> logger)
    : IHostedService, IDisposable
{
    /// <summary>Messages per batch: small enough that a send queued behind one waits milliseconds.</summary>
    public const int BatchSize = 500;

    private readonly CancellationTokenSource _stopping = new();
    private Task _filling = Task.CompletedTask;
    private volatile bool _done;
    private int _disposed;

    /// <summary>Every message that should have SearchText has it.</summary>
    public bool IsDone => _done;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await Missing(db.Messages, after: 0).AnyAsync(cancellationToken))
            {
                _done = true;
                return;
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // An unmigrated database: readiness already reports it, and this stays not ready.
            logger.LogError(e, "Could not look for messages to index for search");
            return;
        }

        _filling = FillInBackgroundAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The container was disposed before the host stopped it: Dispose has cancelled the fill already.
        }

        await _filling.WaitAsync(cancellationToken);
    }

    /// <summary>Once, though the container may call it twice (it is registered as itself and as a hosted service).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    /// <summary>Fills what is missing; how many messages were given their SearchText.</summary>
    public Task<int> FillAsync(CancellationToken cancellationToken) => UpdateAsync(everything: false, cancellationToken);

    /// <summary>
    /// Rebuilds the whole index from the SearchText there is (repairing an index out of step), then makes every
    /// message's SearchText again, the triggers updating the index for each that changed (after a change to what is
    /// indexed); how many messages had a different SearchText. For the command line: the index is rebuilt in one
    /// transaction.
    /// </summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
                // Every message, so the index is complete through the newest.
                ? $"""
                  INSERT INTO "{SearchIndex.FtsTable}" ("{SearchIndex.FtsTable}") VALUES ('rebuild');
                  UPDATE "{SearchIndex.StateTable}" SET "IndexedThrough" = (SELECT COALESCE(MAX("Id"), 0) FROM "Messages");
                  """
                // The trigger makes the trigrams of every row whose SearchText is set, even to the value it has.
                : $"""DELETE FROM [{SearchIndex.TrigramTable}]; UPDATE [Messages] SET [SearchText] = [SearchText] WHERE [SearchText] IS NOT NULL;""",
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await UpdateAsync(everything: true, cancellationToken);
    }

    private async Task FillInBackgroundAsync()
    {
        try
        {
            var filled = await FillAsync(_stopping.Token);
            _done = true;
            logger.LogInformation("Indexed {Count} existing messages for search", filled);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
        {
            logger.LogError(e, "Indexing existing messages for search failed; run --rebuild-search-index");
        }
    }

    private async Task<int> UpdateAsync(bool everything, CancellationToken cancellationToken)
    {
        var changed = 0;
        for (long after = 0; ;)
        {
            List<Row> rows;
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                var messages = everything ? db.Messages.Where(m => m.Id > after) : Missing(db.Messages, after);
                rows = await messages.OrderBy(m => m.Id).Take(BatchSize)
                    .Select(m => new Row(m.Id, m.Body, m.Kind, m.DeletedAt != null, m.SearchText)).ToListAsync(cancellationToken);
            }

            if (rows.Count == 0)
            {
                return changed;
            }

            after = rows[^1].Id;
            var updates = rows.Select(r => (Row: r, Text: SearchText.ForIndex(r.Body, r.Kind, r.Deleted)))
                .Where(u => u.Text != u.Row.SearchText).ToList();
            if (updates.Count > 0)
            {
                changed += await writer.ChangeAsync((db, _) => StoreAsync(db, updates));
            }
        }
    }

    private static IQueryable<Message> Missing(IQueryable<Message> messages, long after) =>
        messages.Where(m => m.Id > after && m.SearchText == null && m.DeletedAt == null && m.Kind == MessageKind.Text);

    /// <summary>Only where the message is still as it was read: a change since wrote its own SearchText.</summary>
    private static async Task<int> StoreAsync(ChatDbContext db, List<(Row Row, string? Text)> updates)
    {
        var stored = 0;
        foreach (var (row, text) in updates)
        {
            stored += await db.Messages
                .Where(m => m.Id == row.Id && m.Body == row.Body && (m.DeletedAt != null) == row.Deleted)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SearchText, text));
        }

        return stored;
    }

    private sealed record Row(long Id, string Body, MessageKind Kind, bool Deleted, string? SearchText);
}
