using System.Data.Common;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Search;

/// <summary>
/// Adds new messages to SQLite's search index in batches, every <see cref="SearchOptions.IndexInterval"/>, through the
/// writer. FTS5 writes a new segment (and, now and then, merges segments) for every transaction that changes it, so
/// indexing each message in the transaction that saves it made every send pay for that; a batch pays once for many.
/// <see cref="SearchIndex.StateTable"/> holds the Id the index is complete through, moved in the same transaction as
/// the batch it covers, so an instance that reads it never adds a message twice. Messages above it are not in the
/// index yet; search reads them directly (<see cref="SearchStatements"/>), so a message is found as soon as it is sent.
/// SQL Server's trigram table is kept by its trigger instead: this does nothing there.
/// </summary>
public sealed class SearchIndexer(
    IDbContextFactory<ChatDbContext> factory,
    ChatWriter writer,
    IOptions<SearchOptions> options,
    TimeProvider time,
    ILogger<SearchIndexer> logger) : BackgroundService
{
    /// <summary>Messages per batch: enough to amortise a segment, few enough that a send queued behind a batch waits milliseconds.</summary>
    public const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IndexInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CatchUpAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
            // The writer stopped first: what is not indexed yet is indexed after the next start.
        }
    }

    /// <summary>Indexes every message saved so far, a batch at a time; a failure is logged and left for the next round.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await IndexBatchAsync(cancellationToken))
            {
            }
        }
        catch (DbException e)
        {
            logger.LogWarning(e, "Adding new messages to the search index failed; trying again in {Interval}", options.Value.IndexInterval);
        }
    }

    /// <summary>Indexes the next batch of new messages, if any; true when more are waiting.</summary>
    private async Task<bool> IndexBatchAsync(CancellationToken cancellationToken)
    {
        // A read first, outside the writer: an idle server queues nothing.
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!db.Database.IsSqlite() || !await BehindAsync(db, cancellationToken))
            {
                return false;
            }
        }

        return await writer.ChangeAsync((db, _) => AddBatchAsync(db));
    }

    private static async Task<bool> BehindAsync(ChatDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>(
            $"""
            SELECT EXISTS (SELECT 1 FROM "Messages" WHERE "Id" > (SELECT "IndexedThrough" FROM "{SearchIndex.StateTable}")) AS "Value"
            """).SingleAsync(cancellationToken) != 0;

    /// <summary>Inside the writer's transaction: the next batch above the state's Id, and the state moved past it.</summary>
    private static async Task<bool> AddBatchAsync(ChatDbContext db)
    {
        var through = await db.Database.SqlQueryRaw<long>($"""SELECT "IndexedThrough" AS "Value" FROM "{SearchIndex.StateTable}" """).SingleAsync();
        var upTo = await db.Database.SqlQueryRaw<long?>(
            """SELECT MAX("Id") AS "Value" FROM (SELECT "Id" FROM "Messages" WHERE "Id" > {0} ORDER BY "Id" LIMIT {1})""", through, BatchSize).SingleAsync();
        if (upTo is not { } last)
        {
            return false;
        }

        await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO "{{SearchIndex.FtsTable}}" (rowid, "SearchText")
            SELECT "Id", "SearchText" FROM "Messages" WHERE "Id" > {0} AND "Id" <= {1} AND "SearchText" IS NOT NULL;
            """, through, last);
        await db.Database.ExecuteSqlRawAsync($$"""UPDATE "{{SearchIndex.StateTable}}" SET "IndexedThrough" = {0}""", last);
        return await db.Database.SqlQueryRaw<long>("""SELECT EXISTS (SELECT 1 FROM "Messages" WHERE "Id" > {0}) AS "Value" """, last).SingleAsync() != 0;
    }
}
