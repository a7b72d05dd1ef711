using System.Diagnostics;
using System.Xml.Linq;
using DuckChat.Web.Configuration;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// A real S3-protocol server of our own on a free port: moto's (<c>moto_server</c>, Python moto 5), everything in its
/// memory, stopped by its pid at the end. It checks SigV4 signatures: while moto still lets calls in unsigned, the fixture
/// makes an IAM user allowed s3:* with an access key, then turns checking on, so a wrong secret is refused as AWS
/// refuses it. Under CI=true a missing moto_server fails the test; elsewhere it skips saying what to install.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";

    private readonly Queue<string> _lastLines = new();
    private Process? _server;

    public int Port { get; } = TestPaths.FreePort();

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public string AccessKey { get; private set; } = "";

    public string SecretKey { get; private set; } = "";

    /// <summary>The moto_server found on PATH, else in a pyenv Python (where the machine image installs moto).</summary>
    public static string? ServerPath { get; } = FindServer();

    public void RequireServer() => TestPaths.RequireTool(ServerPath is not null, "moto_server (Python moto 5 with its server: pip install 'moto[server]')");

    /// <summary>Options of a store in <paramref name="bucket"/> (made on first use) with this server's key.</summary>
    public S3StoreOptions StoreOptions(string bucket, string? secretKey = null) =>
        new() { ServiceUrl = ServiceUrl, Bucket = bucket, AccessKey = AccessKey, SecretKey = secretKey ?? SecretKey };

    /// <summary>App settings that keep files in <paramref name="bucket"/> on this server.</summary>
    public Dictionary<string, string?> AppSettings(string bucket) => new()
    {
        ["DuckChat:Files:Store"] = "S3",
        ["DuckChat:Files:S3:ServiceUrl"] = ServiceUrl,
        ["DuckChat:Files:S3:Bucket"] = bucket,
        ["DuckChat:Files:S3:AccessKey"] = AccessKey,
        ["DuckChat:Files:S3:SecretKey"] = SecretKey,
    };

    public async ValueTask InitializeAsync()
    {
        if (ServerPath is null)
        {
            return;
        }

        _server = Process.Start(new ProcessStartInfo(ServerPath)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", Port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        // moto logs every request: read its output so a full pipe never stops it, and keep the end for a failed start.
        _server.OutputDataReceived += (_, e) => Remember(e.Data);
        _server.ErrorDataReceived += (_, e) => Remember(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(ServiceUrl) };
        await Eventually.TrueAsync(async () => !_server.HasExited ? await AnswersAsync(http) : throw new InvalidOperationException(
            $"moto_server stopped at start: {string.Join(Environment.NewLine, LastLines())}"), TimeSpan.FromSeconds(60), "moto_server to answer");
        await CreateAccessKeyAsync(http);
    }

    /// <summary>Stops the server as a crash would; the store's next call finds nothing listening.</summary>
    public void Stop()
    {
        if (_server is not { } server)
        {
            return;
        }

        _server = null;
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(5000);
        }

        server.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/moto-api/");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// Three IAM calls while moto takes every call unsigned (its default), then moto's switch that checks every later
    /// call against the IAM users' keys. The calls name IAM in their credential scope, which is how moto routes them.
    /// </summary>
    private async Task CreateAccessKeyAsync(HttpClient http)
    {
        const string user = "duckchat";
        await IamAsync(http, new() { ["Action"] = "CreateUser", ["UserName"] = user });
        await IamAsync(http, new()
        {
            ["Action"] = "PutUserPolicy", ["UserName"] = user, ["PolicyName"] = "s3",
            ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        });
        var key = (await IamAsync(http, new() { ["Action"] = "CreateAccessKey", ["UserName"] = user })).Descendants(Iam + "AccessKey").Single();
        AccessKey = key.Element(Iam + "AccessKeyId")!.Value;
        SecretKey = key.Element(Iam + "SecretAccessKey")!.Value;

        using var checkEveryCall = await http.PostAsync("/moto-api/reset-auth", new StringContent("0"));
        checkEveryCall.EnsureSuccessStatusCode();
    }

    private static async Task<XDocument> IamAsync(HttpClient http, Dictionary<string, string> form)
    {
        form["Version"] = "2010-05-08";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=unsigned/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=unsigned");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"moto refused {form["Action"]}: {body}");
        return XDocument.Parse(body);
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private string[] LastLines()
    {
        lock (_lastLines)
        {
            return [.. _lastLines];
        }
    }

    private static string? FindServer()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "moto_server"));
        var pyenv = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv", "versions");
        var inPyenv = Directory.Exists(pyenv)
            ? Directory.EnumerateDirectories(pyenv).Order().Select(version => Path.Combine(version, "bin", "moto_server"))
            : [];
        return onPath.Concat(inPyenv).FirstOrDefault(File.Exists);
    }
}
