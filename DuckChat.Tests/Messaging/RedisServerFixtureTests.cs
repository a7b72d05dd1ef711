using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Messaging;

public sealed class RedisServerFixtureTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task OwnRedisServer_AnswersOnItsPort()
    {
        redis.RequireServer();

        Assert.Equal("+PONG", await redis.PingAsync());
    }
}
