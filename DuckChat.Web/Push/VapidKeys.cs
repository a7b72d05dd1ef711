using System.Security.Cryptography;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Push;

/// <summary>The VAPID key pair pushes are signed with, base64url as browsers and push services take them.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey);

/// <summary>
/// The VAPID key pair: the one in the configuration (DuckChat:Push:PublicKey/PrivateKey) if set, else the one in the
/// database, made on first start. Every instance must sign with the same pair (browsers subscribed with its public
/// key), so the database holds exactly one row: instances that start together each try to insert theirs, one insert
/// wins, and all of them then use the stored pair.
/// </summary>
public sealed class VapidKeys(IDbContextFactory<ChatDbContext> factory, IOptions<PushOptions> options, IOptions<SiteOptions> site, TimeProvider time)
{
    private VapidKeyPair? _keys;

    public async Task<VapidKeyPair> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_keys is { } known)
        {
            return known;
        }

        var push = options.Value;
        return _keys = !string.IsNullOrWhiteSpace(push.PublicKey)
            ? new VapidKeyPair(push.PublicKey, push.PrivateKey!) // both or neither: checked at start-up
            : await LoadOrCreateAsync(cancellationToken);
    }

    /// <summary>Signs a push's VAPID token: the keys, and the contact that push services may write to.</summary>
    public async Task<VapidAuthentication> AuthenticationAsync(CancellationToken cancellationToken)
    {
        var keys = await GetAsync(cancellationToken);
        var subject = options.Value.Subject is { Length: > 0 } configured ? configured
            : site.Value.PublicBaseUri is { Scheme: "https" } publicUrl ? publicUrl.ToString()
            : null;
        return new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = subject };
    }

    private async Task<VapidKeyPair> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (await ReadAsync(db, cancellationToken) is { } stored)
            {
                return stored;
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            db.VapidKeys.Add(new VapidKeyRow
            {
                Id = VapidKeyRow.TheOne,
                PublicKey = WebEncoders.Base64UrlEncode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]),
                PrivateKey = WebEncoders.Base64UrlEncode(parameters.D!),
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance stored its pair first: that one is the pair.
            }
        }

        await using var fresh = await factory.CreateDbContextAsync(cancellationToken);
        return await ReadAsync(fresh, cancellationToken) ?? throw new InvalidOperationException("The VAPID key pair could not be stored.");
    }

    private static Task<VapidKeyPair?> ReadAsync(ChatDbContext db, CancellationToken cancellationToken) =>
        db.VapidKeys.Where(k => k.Id == VapidKeyRow.TheOne).Select(k => new VapidKeyPair(k.PublicKey, k.PrivateKey)).FirstOrDefaultAsync(cancellationToken);
}
