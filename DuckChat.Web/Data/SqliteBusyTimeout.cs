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
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Set(connection, timeout);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Set(connection, timeout);
        return Task.CompletedTask;
    }

    /// <summary>
    /// How long SQLite waits for a lock on this open connection. Per connection handle, and cheap (no statement):
    /// a pooled connection gets the configured wait again on its next open.
    /// </summary>
    public static void Set(DbConnection connection, TimeSpan wait) =>
        SQLitePCL.raw.sqlite3_busy_timeout(((SqliteConnection)connection).Handle, (int)Math.Min(int.MaxValue, wait.TotalMilliseconds));
}
