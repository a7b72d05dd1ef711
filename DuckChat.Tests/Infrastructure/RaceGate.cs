using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Makes concurrent operations meet at the worst moment. Each racer runs under its name
/// (<see cref="RunAsAsync{T}"/>); a racer's command containing the given text waits until every other racer has begun
/// a transaction (begun writing). A check an operation makes before it writes then sees what the others saw, unless
/// the check itself is inside a transaction that keeps the others out.
/// </summary>
public sealed class RaceGate : IDbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly AsyncLocal<string?> Racer = new();
    private Dictionary<string, TaskCompletionSource> _begun = [];
    private string? _hold;

    public static async Task<T> RunAsAsync<T>(string racer, Func<Task<T>> operation)
    {
        Racer.Value = racer;
        return await operation();
    }

    public void Start(IEnumerable<string> racers, string holdCommandsContaining)
    {
        _begun = racers.ToDictionary(r => r, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _hold = holdCommandsContaining;
    }

    public void Stop()
    {
        _hold = null;
        _begun = [];
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (Racer.Value is { } racer && _begun.TryGetValue(racer, out var begun))
        {
            begun.TrySetResult();
        }

        return ValueTask.FromResult(result);
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    private async Task HoldAsync(DbCommand command)
    {
        if (Racer.Value is { } racer && _hold is { } hold && command.CommandText.Contains(hold, StringComparison.Ordinal))
        {
            var others = _begun.Where(b => b.Key != racer).Select(b => b.Value.Task);
            await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
