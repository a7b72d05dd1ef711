using System.Threading.RateLimiting;
using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Chats;

/// <summary>
/// Token buckets per person, shared by all of that person's tabs: one for sending messages
/// (DuckChat:Chat:SendBurst, then SendPerSecond), one for every other change a person makes (WriteBurst, then
/// WritePerSecond): groups, renames, members, edits, deletes, mark-unread, preferences, and whatever later features
/// write; and one for messages that call a whole group (MentionAllBurst, then MentionAllPerHour). Read positions saved
/// as a page is read are not counted. The defaults are far above what a person does by hand; they stop scripts
/// flooding a chat or everyone's pages. Typing signals have a bucket per person and chat: one signal, back every half
/// of DuckChat:Presence:TypingSignalEvery (the browser sends one per whole period, so its signals always pass; a
/// script's extra ones do not).
/// </summary>
public sealed class PersonRateLimits : IDisposable
{
    public const string TooManyChanges = "You are making changes too fast. Wait a moment, then try again.";

    private readonly PartitionedRateLimiter<string> _sends;
    private readonly PartitionedRateLimiter<string> _writes;
    private readonly PartitionedRateLimiter<string> _mentionAll;
    private readonly PartitionedRateLimiter<string> _typing;

    public PersonRateLimits(IOptions<ChatOptions> options, IOptions<PresenceOptions> presence)
    {
        var chat = options.Value;
        _sends = Buckets(chat.SendBurst, chat.SendPerSecond);
        _writes = Buckets(chat.WriteBurst, chat.WritePerSecond);
        _mentionAll = Buckets(chat.MentionAllBurst, chat.MentionAllPerHour / 3600);
        _typing = Buckets(1, 2 / presence.Value.TypingSignalEvery.TotalSeconds);
    }

    public bool TrySend(string userId) => Acquire(_sends, userId);

    public bool TryWrite(string userId) => Acquire(_writes, userId);

    /// <summary>
    /// Whether a message calling a whole group (<c>@all</c>, <c>@here</c>) may be sent now. Only looked at: the call is
    /// paid for by <see cref="MentionedAll"/> once the message is saved, so a send that saves nothing (refused, or a
    /// retry of one already saved) costs nothing. Two such sends at the same moment may both pass on the last call.
    /// </summary>
    public bool MayMentionAll(string userId) => _mentionAll.GetStatistics(userId) is not { CurrentAvailablePermits: < 1 };

    /// <summary>A message calling a whole group was saved: it takes its call from the bucket.</summary>
    public void MentionedAll(string userId) => Acquire(_mentionAll, userId);

    public bool TryType(string userId, int chatId) => Acquire(_typing, $"{userId}:{chatId}");

    private static bool Acquire(PartitionedRateLimiter<string> limiter, string userId)
    {
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Buckets(int burst, double perSecond) =>
        PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public void Dispose()
    {
        _sends.Dispose();
        _writes.Dispose();
        _mentionAll.Dispose();
        _typing.Dispose();
    }
}
