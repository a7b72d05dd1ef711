using System.Globalization;
using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

/// <summary>
/// SQLite under trouble: locked by another connection, busy, read-only. Nothing may be shown as sent that was not
/// saved, a retry saves exactly once, and readiness says the database cannot take writes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DatabaseFaultTests(BrowserFixture browser, FaultyDatabaseAppFactory app) : IClassFixture<FaultyDatabaseAppFactory>
{
    [Fact]
    public async Task FileLockedByAnotherConnection_SendFailsCleanly_ReadinessIsUnhealthy_RetrySavesOnce()
    {
        var (chats, chatId) = await ChatAsync("lock");
        var draft = Guid.NewGuid();
        await ReadinessBecomesAsync(HttpStatusCode.OK);
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "duckchat.db")}"))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await using (var exclusive = holder.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE;";
                await exclusive.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            await Assert.ThrowsAsync<SqliteException>(() => chats.SendAsync(chatId, "while locked", draft));
            await ReadinessBecomesAsync(HttpStatusCode.ServiceUnavailable);

            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var retried = await chats.SendAsync(chatId, "while locked", draft);
        var again = await chats.SendAsync(chatId, "while locked", draft);

        Assert.True(retried.Succeeded);
        Assert.Equal(retried.Message!.Id, again.Message!.Id);
        Assert.Equal(["while locked"], (await chats.GetHistoryAsync(chatId)).Select(m => m.Body));
        await ReadinessBecomesAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BusyDatabase_IsWaitedForInsideSqlite_ForTheCommandTimeout()
    {
        // Not Microsoft.Data.Sqlite's own retry, which sleeps a thread 150 ms at a time.
        await using var db = await app.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var pragma = db.Database.GetDbConnection().CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout;";

        var waits = Convert.ToInt64(await pragma.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);

        Assert.Equal((long)app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.CommandTimeout.TotalMilliseconds, waits);
    }

    [Fact]
    public async Task BusyErrors_FailTheSend_NothingIsSaved_RetrySavesOnce()
    {
        var (chats, chatId) = await ChatAsync("busy");
        var draft = Guid.NewGuid();

        app.Faults.FailNextWritesAsBusy(1);
        await Assert.ThrowsAsync<SqliteException>(() => chats.SendAsync(chatId, "busy moment", draft));
        Assert.Empty(await chats.GetHistoryAsync(chatId));

        Assert.True((await chats.SendAsync(chatId, "busy moment", draft)).Succeeded);
        Assert.True((await chats.SendAsync(chatId, "busy moment", draft)).Succeeded);
        Assert.Single(await chats.GetHistoryAsync(chatId));
    }

    [Fact]
    public async Task ReadOnlyDatabase_ThePersonSeesAClearError_TheCircuitSurvives_RetrySavesOnce()
    {
        var (chats, chatId) = await ChatAsync("ro");
        var page = await (await browser.NewContextAsync(app)).NewPageAsync();
        await page.LogInAsync("ro-alice");
        await page.OpenAsync($"/chats/{chatId}");
        await page.SendAsync("before");
        await ReadinessBecomesAsync(HttpStatusCode.OK);

        app.Faults.ReadOnly = true;
        try
        {
            await page.MessageBox().FillAsync("not yet");
            await page.MessageBox().PressAsync("Enter");

            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your message was not sent");
            await Assertions.Expect(page.MessageBox()).ToHaveValueAsync("not yet");
            Assert.Equal(["before"], await page.MessageTextsAsync());
            await ReadinessBecomesAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            app.Faults.ReadOnly = false;
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await page.ExpectLastMessagesAsync(["before", "not yet"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.ChatId == chatId && m.Body == "not yet", TestContext.Current.CancellationToken));
        _ = chats;
    }

    private async Task<(ChatService Chats, int ChatId)> ChatAsync(string prefix)
    {
        var alice = await app.CreateUserAsync($"{prefix}-alice");
        await app.CreateUserAsync($"{prefix}-bob");
        var chats = app.ChatServiceFor(alice);
        return (chats, (await chats.OpenDirectChatAsync($"{prefix}-bob")).ChatId);
    }

    /// <summary>Readiness reuses its answer for a short period: a change shows within it.</summary>
    private Task ReadinessBecomesAsync(HttpStatusCode expected) =>
        Eventually.GetAsync(async () =>
        {
            using var client = app.CreateHttpClient();
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            return response.StatusCode;
        }, status => status == expected, because: $"/health/ready to answer {expected}");
}
