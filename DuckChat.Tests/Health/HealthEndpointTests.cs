using System.Net;
using System.Text.Json;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Health;

public sealed class HealthEndpointTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpoint_AnswersHealthyJson_WithoutSigningIn(string path)
    {
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_ChecksTheDatabase()
    {
        using var client = app.CreateHttpClient();

        var json = await client.GetStringAsync("/health/ready", TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(json);
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnonymousAppPage_RedirectsToLogIn_WithReturnUrl()
    {
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Identity/Account/Login", response.Headers.Location?.AbsolutePath);
        Assert.Contains("ReturnUrl=%2F", response.Headers.Location?.Query);
    }

    [Fact]
    public async Task SqliteDatabase_IsInWalMode()
    {
        await using var db = await app.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PooledContexts_AreReused_WithTheHealthChecksShortTimeoutReset()
    {
        // The readiness check gives its context a 1 s timeout; a pooled context must not carry it into a send.
        ChatDbContext first;
        int? configured;
        await using (var db = await app.CreateDbContextAsync())
        {
            first = db;
            configured = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(1);
        }

        var reused = false;
        for (var i = 0; i < 100 && !reused; i++)
        {
            await using var db = await app.CreateDbContextAsync();
            reused = ReferenceEquals(db, first);
            Assert.Equal(configured, db.Database.GetCommandTimeout());
        }

        Assert.True(reused, "contexts come from a pool");
        Assert.NotEqual(1, configured);
    }
}
