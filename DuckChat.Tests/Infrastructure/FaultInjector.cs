using System.Collections.Concurrent;
using System.Data.Common;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Makes the real SQLite database fail writes the way it does in production: busy (another writer holds the
/// lock) for the next few writes, or read-only until told otherwise. Reads are untouched.
/// </summary>
public sealed class FaultInjector : DbCommandInterceptor
{
    private const int SqliteBusy = 5;
    private const int SqliteReadOnly = 8;
    private int _busyWrites;

    public bool ReadOnly { get; set; }

    /// <summary>Any command whose SQL contains this text fails (a query the app does not expect to fail).</summary>
    public string? FailQueriesContaining { get; set; }

    public void FailNextWritesAsBusy(int count) => Volatile.Write(ref _busyWrites, count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Check(DbCommand command)
    {
        if (FailQueriesContaining is { } fragment && command.CommandText.Contains(fragment, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Injected failure: SECRET-INTERNAL-DETAIL");
        }

        var sql = command.CommandText.TrimStart().ToUpperInvariant();
        if (!(sql.StartsWith("INSERT", StringComparison.Ordinal) || sql.StartsWith("UPDATE", StringComparison.Ordinal)
              || sql.StartsWith("DELETE", StringComparison.Ordinal) || sql.StartsWith("BEGIN IMMEDIATE", StringComparison.Ordinal)))
        {
            return;
        }

        if (ReadOnly)
        {
            throw new SqliteException("SQLite Error 8: 'attempt to write a readonly database'.", SqliteReadOnly);
        }

        if (Interlocked.Decrement(ref _busyWrites) >= 0)
        {
            throw new SqliteException("SQLite Error 5: 'database is locked'.", SqliteBusy);
        }

        Interlocked.Exchange(ref _busyWrites, 0);
    }
}

/// <summary>The app on a SQLite database whose commands a test can make fail, with a short command timeout.</summary>
public class FaultyDatabaseAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Database:CommandTimeout"] = "00:00:02",
})
{
    public FaultInjector Faults { get; } = new();

    protected override IReadOnlyList<IInterceptor> DatabaseInterceptors => [Faults];
}

/// <summary>The same, in the Production environment (error pages and circuit errors as deployed).</summary>
public sealed class ProductionFaultyAppFactory : FaultyDatabaseAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>
/// The app on a database whose commands can fail (<see cref="FaultyDatabaseAppFactory.Faults"/>), with accounts whose
/// every update Identity refuses (<see cref="RefusedUpdates"/>), and a <see cref="RaceGate"/>.
/// </summary>
public sealed class FaultsAndRacesAppFactory : FaultyDatabaseAppFactory
{
    public const string RefusalText = "This account cannot be saved now.";

    public ConcurrentDictionary<string, bool> RefusedUpdates { get; } = new();

    public RaceGate Race { get; } = new();

    protected override IReadOnlyList<IInterceptor> DatabaseInterceptors => [Faults, Race];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IUserValidator<ApplicationUser>>(new RefusingValidator(RefusedUpdates)));
    }

    private sealed class RefusingValidator(ConcurrentDictionary<string, bool> refused) : IUserValidator<ApplicationUser>
    {
        public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
            Task.FromResult(refused.ContainsKey(user.Id)
                ? IdentityResult.Failed(new IdentityError { Code = "Refused", Description = RefusalText })
                : IdentityResult.Success);
    }
}
