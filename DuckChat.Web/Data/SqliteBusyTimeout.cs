using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Web.Data;

/// <summary>
/// Lets SQLite itself wait for a busy database, in its own fine-grained steps (1, 2, 5, 10 ms …) up to the command
/// timeout. Without it Microsoft.Data.Sqlite retries a busy statement every 150 ms with Thread.Sleep: two writers
/// meeting cost the second one 150 ms and a blocked thread-pool thread, and under load (benchmark M2) sends queued
/// for tens of seconds while the CPU idled.
/// </summary>
public sealed class SqliteBusyTimeout(TimeSpan timeout) : DbConnectionInterceptor
{
    private readonly int _milliseconds = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // Per connection handle, and cheap (no statement): pooled connections get it again on every open.
    private void Apply(DbConnection connection) =>
        SQLitePCL.raw.sqlite3_busy_timeout(((SqliteConnection)connection).Handle, _milliseconds);
}
