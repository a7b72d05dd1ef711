using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Debian's nginx running the repository's own proxy template (deploy/nginx/templates) on a loopback port, with a
/// fresh self-signed certificate, in front of the given instances. The template's ${DUCKCHAT_...} names are filled in
/// as the nginx image's envsubst would; a minimal main file stands in for the image's nginx.conf.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly string _folder = TestPaths.NewTempDirectory("nginx");
    private AppProcess? _nginx;

    private NginxProxy(int port) => Port = port;

    public int Port { get; }

    public string BaseUrl => BaseUrlFor(Port);

    public string AccessLogPath => Path.Combine(_folder, "access.log");

    public static string TemplatePath => Path.Combine(TestPaths.RepoRoot, "deploy", "nginx", "templates", "duckchat.conf.template");

    /// <summary>A port for the proxy, chosen before the instances start (they are told the public address).</summary>
    public static int ChoosePort() => TestPaths.FreePort();

    public static string BaseUrlFor(int port) => $"https://127.0.0.1:{port}";

    public static async Task<NginxProxy> StartAsync(IEnumerable<string> upstreamAddresses, int port)
    {
        TestPaths.RequireTool(File.Exists(NginxPath), "nginx (apt-get install -y nginx)");
        var proxy = new NginxProxy(port);
        await proxy.RunAsync(upstreamAddresses);
        return proxy;
    }

    private async Task RunAsync(IEnumerable<string> upstreamAddresses)
    {
        var certificate = Path.Combine(_folder, "duckchat.crt");
        var key = Path.Combine(_folder, "duckchat.key");
        WriteSelfSignedCertificate(certificate, key);

        var site = Fill(await File.ReadAllTextAsync(TemplatePath), new Dictionary<string, string>
        {
            ["DUCKCHAT_SERVER_NAME"] = "127.0.0.1",
            ["DUCKCHAT_SERVERS"] = string.Join(" ", upstreamAddresses.Select(a => $"server {a};")),
            ["DUCKCHAT_HTTPS_PORT"] = $"127.0.0.1:{Port}",
            ["DUCKCHAT_TLS_CERTIFICATE"] = certificate,
            ["DUCKCHAT_TLS_KEY"] = key,
            ["DUCKCHAT_ACCESS_LOG"] = AccessLogPath,
        });
        await File.WriteAllTextAsync(Path.Combine(_folder, "duckchat.conf"), site);
        var main = Path.Combine(_folder, "nginx.conf");
        await File.WriteAllTextAsync(main, $"worker_processes 1;\nevents {{}}\nhttp {{\n    include {Path.Combine(_folder, "duckchat.conf")};\n}}\n");

        var start = new ProcessStartInfo(NginxPath)
        {
            ArgumentList = { "-p", _folder, "-c", main, "-e", "stderr", "-g", $"daemon off; pid {Path.Combine(_folder, "nginx.pid")};" },
        };
        _nginx = AppProcess.StartCommand(start);
        using var http = CreateHttpClient();
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(_nginx.HasExited, $"nginx exited:\n{_nginx.Output}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/health/live");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "nginx to serve the app");
    }

    /// <summary>An HTTP client without cookies that accepts the proxy's self-signed certificate.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });

    /// <summary>Replaces each ${NAME} given, as envsubst does for defined variables; any other ${...} left is an error.</summary>
    private static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var filled = Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
        var unfilled = Placeholder().Matches(filled).Select(m => m.Value).ToList();
        Assert.True(unfilled.Count == 0, $"The template uses names the test does not fill: {string.Join(", ", unfilled)}");
        return filled;
    }

    private static void WriteSelfSignedCertificate(string certificatePath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The access log as (route, instance address) pairs: which instance served each request of each route.</summary>
    public async Task<IReadOnlyList<(string Route, string Upstream)>> RoutedRequestsAsync() =>
        (await File.ReadAllLinesAsync(AccessLogPath))
            .Select(line => LogEntry().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["route"].Value, m.Groups["upstream"].Value))
            .ToList();

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"route=(?<route>\S+) upstream=(?<upstream>[\d.]+:\d+)$")]
    private static partial Regex LogEntry();

    public async ValueTask DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        TestPaths.DeleteQuietly(_folder);
    }
}
