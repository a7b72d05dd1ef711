using System.Security.Cryptography;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Push;

/// <summary>A device in the person's list; the endpoint stays on the server, to tell which row is this browser.</summary>
public sealed record PushDeviceView(long Id, string Label, DateTime CreatedAt, string Endpoint);

/// <summary>What a browser's PushManager handed over (PushSubscription.toJSON()), and its user agent for the label.</summary>
public sealed record BrowserSubscription(string Endpoint, string P256dh, string Auth, string UserAgent);

/// <summary>
/// The signed-in person's push devices, from their circuit. A device belongs to the sign-in of the browser that
/// turned it on, so logging out there removes it. Every check is the server's: the endpoint (see
/// <see cref="PushEndpoints"/>), the keys, the number of devices, the write budget.
/// </summary>
public sealed class PushDevices(
    IDbContextFactory<ChatDbContext> factory,
    CurrentUser currentUser,
    PersonRateLimits rateLimits,
    PushEndpoints endpoints,
    VapidKeys keys,
    IOptions<PushOptions> options,
    TimeProvider time)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>The key browsers subscribe with (the application server key).</summary>
    public async Task<string> PublicKeyAsync() => (await keys.GetAsync()).PublicKey;

    public async Task<IReadOnlyList<PushDeviceView>> ListAsync()
    {
        var (userId, _) = await currentUser.GetAsync();
        await using var db = await factory.CreateDbContextAsync();
        return await db.PushDevices.Where(d => d.UserId == userId).OrderBy(d => d.CreatedAt)
            .Select(d => new PushDeviceView(d.Id, d.Label, d.CreatedAt, d.Endpoint)).ToListAsync();
    }

    public async Task<ChangeResult> AddAsync(BrowserSubscription subscription)
    {
        var (userId, _) = await currentUser.GetAsync();
        if ((await currentUser.GetClaimedAsync()).SignInId is not { } signInId)
        {
            throw new SignedOutException();
        }

        if (!rateLimits.TryWrite(userId))
        {
            return ChangeResult.TooFast;
        }

        if (!AreKeys(subscription.P256dh, subscription.Auth))
        {
            return ChangeResult.Refused("The browser's push keys are not valid.");
        }

        if (await endpoints.RefusalAsync(subscription.Endpoint, CancellationToken.None) is { } refusal)
        {
            return ChangeResult.Refused(refusal);
        }

        var max = options.Value.MaxDevicesPerAccount;
        await using var db = await factory.CreateDbContextAsync();
        if (await db.PushDevices.CountAsync(d => d.UserId == userId && d.Endpoint != subscription.Endpoint) >= max)
        {
            return ChangeResult.Refused($"Push notifications are on for {max} devices already. Remove one first.");
        }

        await db.InTransactionAsync(async transaction =>
        {
            // One browser subscription, one row: whoever turned it on last (another account, earlier in this browser) loses it.
            await db.PushDevices.Where(d => d.Endpoint == subscription.Endpoint).ExecuteDeleteAsync();
            db.PushDevices.Add(new PushDevice
            {
                UserId = userId, SignInId = signInId, Endpoint = subscription.Endpoint, P256dh = subscription.P256dh, Auth = subscription.Auth,
                Label = DeviceLabel.From(subscription.UserAgent), CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });
        return ChangeResult.Done();
    }

    public async Task<ChangeResult> RemoveAsync(long deviceId)
    {
        var (userId, _) = await currentUser.GetAsync();
        if (!rateLimits.TryWrite(userId))
        {
            return ChangeResult.TooFast;
        }

        await using var db = await factory.CreateDbContextAsync();
        await db.PushDevices.Where(d => d.Id == deviceId && d.UserId == userId).ExecuteDeleteAsync();
        return ChangeResult.Done();
    }

    /// <summary>Lock and admin actions: every device of the account, in the caller's transaction.</summary>
    public static Task RemoveAllAsync(ChatDbContext db, string userId) => db.PushDevices.Where(d => d.UserId == userId).ExecuteDeleteAsync();

    /// <summary>A P-256 public key (an uncompressed point on the curve) and a 16-byte secret, as RFC 8291 has them.</summary>
    private static bool AreKeys(string p256dh, string auth)
    {
        try
        {
            var point = WebEncoders.Base64UrlDecode(p256dh);
            if (point is not [0x04, ..] || point.Length != 65 || WebEncoders.Base64UrlDecode(auth).Length != 16)
            {
                return false;
            }

            using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
