using System.Net;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Management;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// The real app on real Kestrel at 127.0.0.1 (a free port), with its own fresh SQLite file and key folder.
/// Share one per test class (IClassFixture), or create one with settings a test needs.
/// </summary>
public class DuckChatAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "Quack2026";

    private readonly Dictionary<string, string?> _settings;

    public DuckChatAppFactory() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>An app with extra settings (configuration keys such as DuckChat:Chat:MaxMessageLength).</summary>
    public static DuckChatAppFactory WithSettings(IDictionary<string, string?> settings) => new(settings);

    protected DuckChatAppFactory(IDictionary<string, string?> settings)
    {
        DataDirectory = TestPaths.NewTempDirectory("app");
        _settings = new Dictionary<string, string?>(settings)
        {
            ["DuckChat:Database:DataDirectory"] = DataDirectory,
        };
        _settings.TryAdd("DuckChat:Demo:Seed", "false");
        // A free loopback port, named the way ASPNETCORE_URLS names it: addresses the app adds to it (the management
        // listener) are bound beside it, as in a deployment.
        _settings.TryAdd(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        UseKestrel();
    }

    public string DataDirectory { get; }

    /// <summary>The public address the app serves on, once started.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var management = Services.GetRequiredService<IOptions<ManagementOptions>>().Value.Addresses.Select(ListenAddresses.PortOf).ToList();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new Uri(addresses.First(address => !management.Contains(ListenAddresses.PortOf(address))));
        }
    }

    /// <summary>
    /// The first management listener address (<c>DuckChat:Management:Urls</c>), when the settings give one; the server
    /// is started first, as for <see cref="BaseAddress"/>, so a test that only scrapes finds it listening.
    /// </summary>
    public Uri? ManagementAddress
    {
        get
        {
            StartServer();
            return _settings.GetValueOrDefault("DuckChat:Management:Urls") is { } urls && ListenAddresses.Split(urls) is [var first, ..] ? new Uri(first) : null;
        }
    }

    /// <summary>An HTTP client for the real server; redirects are not followed unless asked, so tests see them.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = false, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = followRedirects, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = BaseAddress };

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>EF Core interceptors a test puts on the app's SQLite contexts (injected faults, counters).</summary>
    protected virtual IReadOnlyList<IInterceptor> DatabaseInterceptors => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: an unpublished build serves its static assets (MapStaticAssets reads the build's manifest) only
        // in Development; in Production they would be missing.
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        if (DatabaseInterceptors.Count > 0)
        {
            builder.ConfigureTestServices(services =>
                services.ConfigureDbContext<SqliteChatDbContext>((_, options) => options.AddInterceptors(DatabaseInterceptors)));
        }
    }

    /// <summary>Creates an account directly (faster than the register page where registering is not under test).</summary>
    public async Task<ApplicationUser> CreateUserAsync(string userName, string? email = null)
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = userName, Email = email ?? $"{userName}@example.test", CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public async Task<ChatDbContext> CreateDbContextAsync()
    {
        StartServer();
        return await Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await Teardown.RunAsync($"{GetType().Name} (stopping its host)", () => base.DisposeAsync());
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.DeleteQuietly(DataDirectory);
    }
}

/// <summary>An app whose send and write rate limits no test that sends or changes many things meets.</summary>
public sealed class UnthrottledAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Chat:SendBurst"] = "10000",
    ["DuckChat:Chat:SendPerSecond"] = "1000",
    ["DuckChat:Chat:WriteBurst"] = "10000",
    ["DuckChat:Chat:WritePerSecond"] = "1000",
    ["DuckChat:Chat:MentionAllBurst"] = "1000",
});
