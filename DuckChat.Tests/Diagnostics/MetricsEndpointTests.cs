using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Diagnostics;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Diagnostics;

/// <summary>
/// With <c>DuckChat:Telemetry:Prometheus</c> on, /metrics answers on the management listener with DuckChat's series,
/// which move when people send, and is not there on the public port.
/// </summary>
public sealed class MetricsEndpointTests(MetricsEndpointTests.PrometheusAppFactory app) : IClassFixture<MetricsEndpointTests.PrometheusAppFactory>
{
    [Fact]
    public async Task Send_MovesSentDeliveriesAndSendDuration_OnTheManagementListener()
    {
        // Arrange: a chat whose events a circuit inbox takes, as an open page's does
        var alice = await app.CreatePersonAsync("metrics-alice");
        await app.CreatePersonAsync("metrics-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("metrics-bob")).ChatId;
        var applied = 0;
        using var subscription = app.Services.GetRequiredService<IMessageBus>().Subscribe(Topics.Chat(chatId),
            new CircuitInbox(app.Services.GetRequiredService<DuckChatMetrics>(), work => work(), _ => Task.FromResult(Interlocked.Increment(ref applied)), _ => Task.CompletedTask).DeliverAsync);
        var before = await PrometheusScrape.GetAsync(app.ManagementAddress!);

        // Act
        var sent = await chats.SendAsync(chatId, "quack-metrics-secret", Guid.NewGuid());

        // Assert
        Assert.True(sent.Succeeded, sent.Error);
        var after = await Eventually.GetAsync(() => PrometheusScrape.GetAsync(app.ManagementAddress!),
            scrape => scrape.Sum("duckchat_deliveries_total") > before.Sum("duckchat_deliveries_total"), because: "the delivery to show");
        Assert.Equal(before.Sum("duckchat_messages_sent_total", "duckchat_message_kind=\"text\"") + 1,
            after.Sum("duckchat_messages_sent_total", "duckchat_message_kind=\"text\""));
        Assert.True(after.Sum("duckchat_send_duration_seconds_count") > before.Sum("duckchat_send_duration_seconds_count"), after.Text);
        Assert.True(after.Sum("duckchat_send_duration_seconds_sum") > before.Sum("duckchat_send_duration_seconds_sum"), after.Text);
        Assert.True(after.Sum("duckchat_db_write_duration_seconds_count") > before.Sum("duckchat_db_write_duration_seconds_count"), after.Text);
        Assert.True(after.Sum("duckchat_bus_publishes_total") > before.Sum("duckchat_bus_publishes_total"), after.Text);
        Assert.DoesNotContain("quack-metrics-secret", after.Text);
        Assert.DoesNotContain(alice.Id, after.Text);
    }

    [Fact]
    public async Task RefusedSend_CountsItsReason()
    {
        // Arrange
        var alice = await app.CreatePersonAsync("metrics-refused-alice");
        await app.CreatePersonAsync("metrics-refused-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("metrics-refused-bob")).ChatId;
        var before = await PrometheusScrape.GetAsync(app.ManagementAddress!);

        // Act: a message longer than the limit
        var refused = await chats.SendAsync(chatId, new string('q', 4001), Guid.NewGuid());

        // Assert
        Assert.False(refused.Succeeded);
        await Eventually.GetAsync(() => PrometheusScrape.GetAsync(app.ManagementAddress!),
            scrape => scrape.Sum("duckchat_send_failures_total", "duckchat_send_failure=\"invalid\"")
                      == before.Sum("duckchat_send_failures_total", "duckchat_send_failure=\"invalid\"") + 1,
            because: "the refusal to be counted as invalid");
    }

    [Fact]
    public async Task Scrape_HasTheBuiltInSeries()
    {
        // Arrange: a request answered and a query run, whichever test of the class runs first
        await app.CreatePersonAsync("metrics-builtin");
        using var client = app.CreateHttpClient();
        using var answered = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        // Act: a request is counted once the server has finished with it, which may be just after its answer arrives
        var scrape = await Eventually.GetAsync(() => PrometheusScrape.GetAsync(app.ManagementAddress!),
            seen => seen.Has("http_server_request_duration_seconds_count"), because: "the answered request to be counted");

        // Assert: the runtime, EF Core and the queues (observed from the database) are there too, and the failure
        // counters before any failure
        Assert.True(scrape.Has("microsoft_entityframeworkcore_queries_total"), scrape.Text);
        Assert.Contains("duckchat_send_failures_total{otel_scope_name=\"DuckChat\",duckchat_send_failure=\"database\"}", scrape.Text);
        Assert.True(scrape.Has("duckchat_bus_publish_failures_total"), scrape.Text);
        Assert.True(scrape.Has("duckchat_db_write_retries_total"), scrape.Text);
        Assert.True(scrape.Has("dotnet_gc_collections_total"), scrape.Text);
        Assert.True(scrape.Has("duckchat_queue_depth"), scrape.Text);
        Assert.Contains("duckchat_queue=\"push\"", scrape.Text);
    }

    [Fact]
    public async Task PublicPort_MetricsIsNotFound()
    {
        // Act
        using var client = app.CreateHttpClient();
        using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var management = new HttpClient { BaseAddress = app.ManagementAddress };
        using var scrape = await management.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
    }

    /// <summary>The app with Prometheus on and a management listener on a free loopback port.</summary>
    public sealed class PrometheusAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
    {
        ["DuckChat:Management:Urls"] = $"http://127.0.0.1:{TestPaths.FreePort()}",
        ["DuckChat:Telemetry:Prometheus"] = "true",
    });
}
