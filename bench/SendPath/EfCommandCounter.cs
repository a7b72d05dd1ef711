using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Bench.SendPath;

/// <summary>
/// Counts the commands EF Core executes on the app's contexts (queries, SaveChanges batches, ExecuteUpdate). It does
/// not see what EF runs outside commands (BEGIN, COMMIT, SAVEPOINT go through the ADO.NET transaction) nor commands on
/// connections EF does not own: <see cref="SqliteStatementCounter"/> sees those; the difference is reported.
/// </summary>
public sealed class EfCommandCounter : DbCommandInterceptor
{
    private long _commands;

    public long Commands => Interlocked.Read(ref _commands);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Counted(result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Counted(result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Counted(result));

    private T Counted<T>(T result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }
}
