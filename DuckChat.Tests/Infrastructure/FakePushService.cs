using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// A push service, as a browser vendor runs one, on https://127.0.0.1 (a free port, a certificate made for the run).
/// A test subscribes a browser here (<see cref="Subscribe"/>: keys made as a browser makes them, bound to the
/// application server key it names); every push posted to a subscription is checked as RFC 8292 says (a VAPID token
/// signed ES256 with that key, for this origin, not expired) and decrypted as RFC 8291 says, with the subscription's
/// private key. A push that fails either check is answered 401 and recorded as a failure. A subscription answers 201
/// unless the test scripted other answers for it.
/// </summary>
public sealed class FakePushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeSubscription> _subscriptions = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly ConcurrentQueue<string> _failures = new();

    private FakePushService(WebApplication app)
    {
        _app = app;
        app.MapPost("/push/{id}", ReceiveAsync);
    }

    public static async Task<FakePushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));
        var service = new FakePushService(builder.Build());
        await service._app.StartAsync();
        return service;
    }

    /// <summary>One certificate for every fake push service of the run; apps under test trust it for pushes.</summary>
    public static X509Certificate2 Certificate { get; } = MakeCertificate();

    /// <summary>The origin, e.g. https://127.0.0.1:41234.</summary>
    public string Origin => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <summary>Pushes that passed both checks, in the order they came, decrypted.</summary>
    public IReadOnlyList<ReceivedPush> Received => [.. _received];

    /// <summary>Why each push that failed a check failed.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>The certificate as PEM, for a process that must trust it (SSL_CERT_FILE).</summary>
    public static string WriteCertificate(string folder)
    {
        var path = Path.Combine(folder, "push-service.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Subscribes a browser for pushes signed with <paramref name="applicationServerKey"/> (base64url).</summary>
    public FakeSubscription Subscribe(string applicationServerKey)
    {
        var id = Guid.NewGuid().ToString("N");
        var subscription = new FakeSubscription($"{Origin}/push/{id}", applicationServerKey);
        _subscriptions[id] = subscription;
        return subscription;
    }

    private async Task<IResult> ReceiveAsync(string id, HttpRequest request)
    {
        if (!_subscriptions.TryGetValue(id, out var subscription))
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        try
        {
            var audience = CheckVapid(request.Headers.Authorization.ToString(), subscription.ApplicationServerKey);
            Assert.Equal("aes128gcm", request.Headers.ContentEncoding.ToString());
            var payload = subscription.Decrypt(body.ToArray());
            _received.Enqueue(new ReceivedPush(subscription, payload, audience, int.Parse(request.Headers["TTL"].ToString())));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failures.Enqueue($"{subscription.Endpoint}: {e.Message}");
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        return Results.StatusCode((int)(subscription.Answers.TryDequeue(out var answer) ? answer : HttpStatusCode.Created));
    }

    /// <summary>Checks an <c>Authorization: vapid t=..., k=...</c> header; returns the token's subject.</summary>
    private string CheckVapid(string header, string applicationServerKey)
    {
        var parameters = header.StartsWith("vapid ", StringComparison.Ordinal)
            ? header["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1])
            : throw new InvalidOperationException($"Not a vapid authorization: '{header}'.");
        Assert.Equal(applicationServerKey, parameters["k"]);
        var parts = parameters["t"].Split('.');
        var point = WebEncoders.Base64UrlDecode(applicationServerKey);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), WebEncoders.Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256),
            "The VAPID token's ES256 signature does not verify with the application server key.");
        using var jwtHeader = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[0]));
        Assert.Equal("ES256", jwtHeader.RootElement.GetProperty("alg").GetString());
        using var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
        Assert.Equal(Origin, claims.RootElement.GetProperty("aud").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        Assert.InRange(expires, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(24));
        return claims.RootElement.TryGetProperty("sub", out var subject) ? subject.GetString() ?? "" : "";
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A push that arrived: for which subscription, what it said (decrypted), its token's subject and its TTL.</summary>
public sealed record ReceivedPush(FakeSubscription Subscription, string Payload, string Subject, int TimeToLive)
{
    public JsonElement Json => JsonDocument.Parse(Payload).RootElement;
}

/// <summary>One browser's subscription: its endpoint and keys as PushSubscription.toJSON() gives them, and its private key.</summary>
public sealed class FakeSubscription
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _authSecret = RandomNumberGenerator.GetBytes(16);

    public FakeSubscription(string endpoint, string applicationServerKey)
    {
        Endpoint = endpoint;
        ApplicationServerKey = applicationServerKey;
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    public string Endpoint { get; }
    public string ApplicationServerKey { get; }
    public byte[] PublicKey { get; }
    public string P256dh => WebEncoders.Base64UrlEncode(PublicKey);
    public string Auth => WebEncoders.Base64UrlEncode(_authSecret);

    /// <summary>What the next pushes are answered with (then 201).</summary>
    public ConcurrentQueue<HttpStatusCode> Answers { get; } = new();

    /// <summary>RFC 8291 (aes128gcm, RFC 8188 framing) for one record: salt, record size, the sender's key, then the ciphertext.</summary>
    public string Decrypt(byte[] body)
    {
        var salt = body[..16];
        var keyIdLength = body[20];
        var senderKey = body[21..(21 + keyIdLength)];
        var cipherText = body[(21 + keyIdLength)..];
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderKey[1..33], Y = senderKey[33..] },
        });
        var sharedSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderKey];
        var inputKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, _authSecret, keyInfo);
        var contentKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKey, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKey, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[cipherText.Length - 16];
        using var aes = new AesGcm(contentKey, 16);
        aes.Decrypt(nonce, cipherText[..^16], cipherText[^16..], plain);
        // The last record ends with the delimiter 2, then zero padding.
        var end = Array.FindLastIndex(plain, b => b != 0);
        Assert.Equal(2, plain[end]);
        return Encoding.UTF8.GetString(plain, 0, end);
    }
}
