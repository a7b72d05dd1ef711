using System.Data.Common;
using DuckChat.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Web.Data;

/// <summary>
/// Sets up every SQLite connection as it opens (a pooled connection gets this again on its next open). SQLite itself
/// waits for a busy database, in its own fine-grained steps (1, 2, 5, 10 ms …) up to the command timeout: without it
/// Microsoft.Data.Sqlite retries a busy statement every 150 ms with Thread.Sleep, so two writers meeting cost the
/// second one 150 ms and a blocked thread-pool thread. And commits are as durable as DuckChat:Database:Synchronous asks.
/// </summary>
public sealed class SqliteConnectionSettings(TimeSpan busyTimeout, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        SetBusyTimeout(connection, busyTimeout);
        // A pragma on the connection handle, without a command object: it runs on every open of a pooled connection.
        var result = SQLitePCL.raw.sqlite3_exec(((SqliteConnection)connection).Handle,
            synchronous == SqliteSynchronous.Normal ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;");
        SqliteException.ThrowExceptionForRC(result, ((SqliteConnection)connection).Handle);
    }

    /// <summary>How long SQLite waits for a lock on this open connection. Per connection handle, and cheap (no statement).</summary>
    public static void SetBusyTimeout(DbConnection connection, TimeSpan wait) =>
        SQLitePCL.raw.sqlite3_busy_timeout(((SqliteConnection)connection).Handle, (int)Math.Min(int.MaxValue, wait.TotalMilliseconds));
}
