using System.Net;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Data.Queues;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Push;

/// <summary>
/// Hands queued pushes to the browsers' push services (Lib.Net.Http.WebPush: RFC 8291 encryption, RFC 8292 VAPID),
/// each once however many instances run (<see cref="QueueWorker{TWork}"/>). A push service that is down or busy is
/// asked again later (DuckChat:Push:RetryDelay, four times longer each time) until MaxAttempts or MaxAge; one that
/// says the subscription is gone (404, 410) loses the device; any other refusal is final.
/// </summary>
public sealed class PushSender(
    IDbContextFactory<ChatDbContext> factory,
    PushQueue queue,
    VapidKeys keys,
    IHttpClientFactory http,
    IOptions<PushOptions> options,
    TimeProvider time,
    ILogger<PushSender> logger) : QueueWorker<PushDelivery>(factory, queue.Doorbell, time, logger)
{
    public const string HttpClientName = "DuckChat.Push";

    private readonly PushOptions _options = options.Value;

    protected override TimeSpan ClaimLength => TimeSpan.FromMinutes(2);

    protected override TimeSpan PollInterval => _options.PollInterval;

    protected override int MaxAttempts => _options.MaxAttempts;

    protected override int BatchSize => 100;

    protected override int Concurrency => _options.Concurrency;

    protected override DbSet<PushDelivery> Table(ChatDbContext db) => db.PushDeliveries;

    protected override TimeSpan RetryDelay(int attempts) => _options.RetryDelay * Math.Pow(4, attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            // The first start of DuckChat makes the key pair, before any browser asks for it.
            await keys.GetAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Could not load or make the VAPID key pair; trying again when a push is sent");
        }

        await base.ExecuteAsync(stoppingToken);
    }

    protected override async Task<Attempt> AttemptAsync(PushDelivery push, CancellationToken cancellationToken)
    {
        if (Time.GetUtcNow().UtcDateTime - push.QueuedAt > _options.MaxAge)
        {
            return Attempt.GivenUp(new TimeoutException($"The push was not handed over within {_options.MaxAge}."));
        }

        await using var db = await Factory.CreateDbContextAsync(cancellationToken);
        var device = await db.PushDeliveries.Where(d => d.Id == push.Id).Select(d => new
        {
            d.Device!.Endpoint, d.Device.P256dh, d.Device.Auth,
            // Someone who left the chat, or a message deleted, since the push was queued: nothing to tell.
            StillFor = db.ChatMembers.Any(m => m.ChatId == d.ChatId && m.UserId == d.Device.UserId)
                && db.Messages.Any(m => m.Id == d.MessageId && m.DeletedAt == null),
        }).FirstOrDefaultAsync(cancellationToken);
        if (device is not { StillFor: true })
        {
            return Attempt.Done;
        }

        var subscription = new PushSubscription { Endpoint = device.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        // A 429's Retry-After becomes this row's next due time, rather than a wait inside the client.
        var client = new PushServiceClient(http.CreateClient(HttpClientName)) { AutoRetryAfter = false, DefaultTimeToLive = (int)_options.TimeToLive.TotalSeconds };
        using var vapid = await keys.AuthenticationAsync(cancellationToken);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(push.Payload), vapid, VapidAuthenticationScheme.Vapid, cancellationToken);
            return Attempt.Done;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The browser unsubscribed, or its subscription expired: the device is gone for good.
            await db.PushDevices.Where(d => d.Id == push.DeviceId).ExecuteDeleteAsync(CancellationToken.None);
            logger.LogInformation("Push device {DeviceId} is no longer subscribed ({Status}); removed it", push.DeviceId, (int)e.StatusCode);
            return Attempt.Done;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.TooManyRequests || (int)e.StatusCode >= 500)
        {
            return Attempt.Failed(e, RetryAfter(e));
        }
        catch (PushServiceClientException e)
        {
            return Attempt.GivenUp(e);
        }
        catch (HttpRequestException e) when (e.InnerException is PushEndpointRefusedException)
        {
            return Attempt.GivenUp(e);
        }
    }

    private DateTime? RetryAfter(PushServiceClientException refusal) => refusal.Headers?.RetryAfter switch
    {
        { Delta: { } delta } => Time.GetUtcNow().UtcDateTime + delta,
        { Date: { } date } => date.UtcDateTime,
        _ => null,
    };
}
