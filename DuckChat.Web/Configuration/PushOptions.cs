using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace DuckChat.Web.Configuration;

/// <summary>
/// Web Push (DuckChat:Push): notifications sent through each browser's push service while no tab is open. The VAPID
/// key pair that signs them is made on first start and kept in the database unless <see cref="PublicKey"/> and
/// <see cref="PrivateKey"/> are set here.
/// </summary>
public sealed class PushOptions : IValidatableObject
{
    public bool Enabled { get; set; } = true;

    /// <summary>The VAPID public key: an uncompressed P-256 point (65 bytes), base64url. Set together with <see cref="PrivateKey"/>.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The VAPID private key: the P-256 scalar (32 bytes), base64url.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Who push services may contact about DuckChat's pushes: <c>mailto:</c> or <c>https:</c>; DuckChat:PublicUrl when empty.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// Hosts a subscription's endpoint may name even though they resolve to a private, loopback or otherwise non-public
    /// address, on any port (e.g. a push service inside the organisation). Every other endpoint must be https on
    /// port 443 at a host whose address is public, so nobody can make DuckChat post into its own network.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>When false, a push says only "New message": no sender, chat or text passes through the push service.</summary>
    public bool ShowContent { get; set; } = true;

    [Range(10, 500, ErrorMessage = "must be between 10 and 500 characters.")]
    public int ExcerptLength { get; set; } = 150;

    [Range(1, 100, ErrorMessage = "must be between 1 and 100 devices.")]
    public int MaxDevicesPerAccount { get; set; } = 10;

    /// <summary>How long a push service keeps a push for a device that is offline (the TTL header).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "28.00:00:00", ErrorMessage = "must be between 00:00:00 and 28.00:00:00.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Attempts at handing a push to its push service before it is given up.</summary>
    [Range(1, 20, ErrorMessage = "must be between 1 and 20 attempts.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed attempt; each later wait is four times longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A push not handed over this long after its message was sent is given up: it would only be noise.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "must be between 00:00:10 and 1.00:00:00.")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an instance looks for pushes that other instances queued and did not send (one that stopped).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "must be between 00:00:00.100 and 00:10:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pushes an instance hands to push services at the same time.</summary>
    [Range(1, 64, ErrorMessage = "must be between 1 and 64.")]
    public int Concurrency { get; set; } = 8;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PublicKey) != string.IsNullOrWhiteSpace(PrivateKey))
        {
            yield return new ValidationResult("must be set together with the other VAPID key (or neither, to keep generated keys in the database).",
                [string.IsNullOrWhiteSpace(PublicKey) ? nameof(PublicKey) : nameof(PrivateKey)]);
        }
        else if (!string.IsNullOrWhiteSpace(PublicKey) && !IsKeyPair(PublicKey, PrivateKey!))
        {
            yield return new ValidationResult("is not a P-256 key pair: a 65-byte public key and its 32-byte private key, each base64url.", [nameof(PublicKey), nameof(PrivateKey)]);
        }

        if (!string.IsNullOrWhiteSpace(Subject) && !Subject.StartsWith("mailto:", StringComparison.Ordinal)
            && !(Uri.TryCreate(Subject, UriKind.Absolute, out var subject) && subject.Scheme == Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("must be a mailto: or https: address.", [nameof(Subject)]);
        }
    }

    /// <summary>Whether the two keys are one P-256 key pair (importing a private key with a public key that is not its own fails).</summary>
    public static bool IsKeyPair(string publicKey, string privateKey)
    {
        try
        {
            var point = WebEncoders.Base64UrlDecode(publicKey);
            var scalar = WebEncoders.Base64UrlDecode(privateKey);
            if (point is not [0x04, ..] || point.Length != 65 || scalar.Length != 32)
            {
                return false;
            }

            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] }, D = scalar });
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
