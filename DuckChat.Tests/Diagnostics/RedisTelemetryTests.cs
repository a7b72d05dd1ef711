using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Diagnostics;

namespace DuckChat.Tests.Diagnostics;

/// <summary>
/// With Redis, a send's event leaves for the other instances later, from the bus's sender: that publish is a span of
/// its own linked to the send, and the connection's state is a gauge.
/// </summary>
public sealed class RedisTelemetryTests : IAsyncLifetime
{
    private readonly RedisServerFixture _redis = new();
    private SendTraceTests.TracedAppFactory? _app;

    private SendTraceTests.TracedAppFactory App => _app ??= SendTraceTests.TracedAppFactory.With(new Dictionary<string, string?>
    {
        ["DuckChat:Redis:Configuration"] = _redis.Configuration,
        ["DuckChat:Management:Urls"] = $"http://127.0.0.1:{TestPaths.FreePort()}",
        ["DuckChat:Telemetry:Prometheus"] = "true",
    });

    [Fact]
    public async Task Send_IsPublishedToRedisUnderALinkedSpan_AndTheConnectionShowsUp()
    {
        // Arrange
        _redis.RequireServer();
        var alice = await App.CreatePersonAsync("redis-trace-alice");
        await App.CreatePersonAsync("redis-trace-bob");
        var chats = App.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("redis-trace-bob")).ChatId;
        await Eventually.GetAsync(() => PrometheusScrape.GetAsync(App.ManagementAddress!),
            scrape => scrape.Sum("duckchat_redis_connected") == 1, because: "the Redis connection to be up");

        // Act
        var sent = await chats.SendAsync(chatId, "quack-redis-secret", Guid.NewGuid());

        // Assert
        Assert.True(sent.Succeeded, sent.Error);
        var send = Assert.Single(App.Spans, s => s.OperationName == DuckChatTelemetry.SendSpan);
        await Eventually.TrueAsync(() => Task.FromResult(App.Spans.Any(s => s.OperationName == DuckChatTelemetry.PublishSpan
                && s.Links.Any(link => link.Context.SpanId == send.SpanId && link.Context.TraceId == send.TraceId))),
            because: "the publish to Redis, linked to the send");
        SendTraceTests.AssertNothingCarries(App.Spans, "quack-redis-secret");
    }

    public ValueTask InitializeAsync() => _redis.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
