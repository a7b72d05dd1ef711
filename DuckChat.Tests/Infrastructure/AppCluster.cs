using DuckChat.Web.Data;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Several DuckChat instances, each its own process on its own loopback port with its own data folder (so its
/// own data-protection key folder), sharing one SQLite file and, unless told otherwise, one real redis-server.
/// The first instance migrates and seeds the demo people (alice, bob, carol; <see cref="DemoSeeder.Password"/>).
/// </summary>
public sealed class AppCluster : IAsyncDisposable
{
    private readonly string _folder = TestPaths.NewTempDirectory("cluster");
    private readonly int[] _ports;
    private readonly AppProcess?[] _instances;

    private readonly string? _publicUrl;
    private readonly IReadOnlyDictionary<string, string> _environment;

    private AppCluster(int instances, RedisServerFixture? redis, string? publicUrl, IReadOnlyDictionary<string, string>? environment)
    {
        Redis = redis;
        _publicUrl = publicUrl;
        _environment = environment ?? new Dictionary<string, string>();
        _ports = Enumerable.Range(0, instances).Select(_ => TestPaths.FreePort()).ToArray();
        _instances = new AppProcess?[instances];
    }

    /// <summary>The shared redis-server, or null for a cluster without Redis (events and keys stay in each instance).</summary>
    public RedisServerFixture? Redis { get; }

    public int Count => _ports.Length;

    /// <summary>
    /// Starts the instances one after another (the first migrates the shared database). Behind a proxy,
    /// <paramref name="publicUrl"/> is the address the browsers open (DuckChat:PublicUrl); <paramref name="environment"/>
    /// adds variables (settings) to every instance.
    /// </summary>
    public static async Task<AppCluster> StartAsync(int instances = 2, bool withRedis = true, string? publicUrl = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        RedisServerFixture? redis = null;
        if (withRedis)
        {
            redis = new RedisServerFixture();
            await redis.InitializeAsync();
            redis.RequireServer();
        }

        var cluster = new AppCluster(instances, redis, publicUrl, environment);
        for (var i = 0; i < instances; i++)
        {
            await cluster.StartInstanceAsync(i);
        }

        return cluster;
    }

    public string Url(int instance) => $"http://127.0.0.1:{_ports[instance]}";

    public string Address(int instance) => $"127.0.0.1:{_ports[instance]}";

    /// <summary>The SQLite database every instance shares.</summary>
    public string ConnectionString => $"Data Source={Path.Combine(_folder, "duckchat.db")}";

    public async Task StartInstanceAsync(int instance)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url(instance),
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // the unpublished build serves its static assets only there
            ["DuckChat__Database__DataDirectory"] = Path.Combine(_folder, $"instance-{instance}"),
            ["DuckChat__Database__ConnectionString"] = ConnectionString,
            ["DuckChat__Demo__Seed"] = (instance == 0).ToString(),
        };
        foreach (var (name, value) in _environment)
        {
            environment[name] = value;
        }

        if (Redis is not null)
        {
            environment["DuckChat__Redis__Configuration"] = Redis.Configuration;
        }

        if (_publicUrl is not null)
        {
            environment["DuckChat__PublicUrl"] = _publicUrl;
        }

        _instances[instance] = AppProcess.Start(TestPaths.WebBuildOutput, environment);
        await _instances[instance]!.WaitUntilServingAsync($"{Url(instance)}/health/live");
    }

    /// <summary>Kills the instance, as a crashed machine or container would stop.</summary>
    public async Task StopInstanceAsync(int instance)
    {
        if (_instances[instance] is { } running)
        {
            await running.DisposeAsync();
            _instances[instance] = null;
        }
    }

    /// <summary>The instance's /health/ready status word: Healthy, Degraded or Unhealthy.</summary>
    public async Task<string> ReadinessAsync(int instance)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{Url(instance)}/health/ready");
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString()!;
    }

    public string Output(int instance) => _instances[instance]?.Output ?? "";

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Count; i++)
        {
            await StopInstanceAsync(i);
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        TestPaths.DeleteQuietly(_folder);
    }
}
