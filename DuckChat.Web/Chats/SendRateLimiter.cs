using System.Threading.RateLimiting;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// A token bucket per user (DuckChat:Chat:SendBurst, then SendPerSecond), shared by all of that user's tabs.
/// The defaults are far above what a person types; they stop scripts flooding a chat.
/// </summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SendRateLimiter(IOptions<ChatOptions> options)
    {
        var chat = options.Value;
        var period = TimeSpan.FromSeconds(1 / chat.SendPerSecond);
        _limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = chat.SendBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool TryAcquire(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
