using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DuckChat.Web.Data;

public static class TransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction (it commits when it is done; leaving without a commit rolls
    /// back) as one unit of the provider's execution strategy. SQL Server's retries transient failures and refuses a
    /// transaction begun outside it; SQLite's runs it once. Each attempt starts with an empty change tracker, so a
    /// repeated attempt does the work afresh; anything outside the database (events) belongs after this returns.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this ChatDbContext db, Func<IDbContextTransaction, Task<T>> work) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            return await work(transaction);
        });

    /// <inheritdoc cref="InTransactionAsync{T}"/>
    public static Task InTransactionAsync(this ChatDbContext db, Func<IDbContextTransaction, Task> work) =>
        db.InTransactionAsync(async transaction =>
        {
            await work(transaction);
            return true;
        });
}
