using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Deployment;

/// <summary>
/// Publishes DuckChat.Web in Release the way the Dockerfile's build stage does and runs the output the way its
/// entry point does (<c>dotnet DuckChat.Web.dll</c> in the publish folder, Production, configured by environment
/// variables only). An unpublished build in Production cannot serve its static assets, so only the publish output
/// shows whether the image would work.
/// </summary>
public sealed partial class PublishedAppTests(PublishedAppTests.PublishFixture fixture) : IClassFixture<PublishedAppTests.PublishFixture>
{
    [Fact]
    public async Task LoginPage_Returns200WithUsernameField()
    {
        // Arrange
        var app = fixture.App;

        // Act
        using var response = await app.Http.GetAsync("/Identity/Account/Login", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        // Assert
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /Identity/Account/Login: {(int)response.StatusCode}\n{app.Output}");
        Assert.Contains("Username or email", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    public async Task StaticAsset_Returns200(string path)
    {
        // Arrange
        var app = fixture.App;

        // Act
        using var response = await app.Http.GetAsync(path, Token);

        // Assert
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}\n{app.Output}");
        Assert.True(response.Content.Headers.ContentLength is null or > 0, $"GET {path} returned an empty body");
    }

    [Fact]
    public async Task LoginPageAssets_AreAllServed()
    {
        // Arrange
        var app = fixture.App;
        var page = await app.Http.GetStringAsync("/Identity/Account/Login", Token);
        var assets = AssetReference().Matches(page).Select(m => m.Groups["url"].Value)
            .Where(url => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(assets);

        // Act
        var failures = new List<string>();
        foreach (var asset in assets)
        {
            using var response = await app.Http.GetAsync(asset, Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{asset}: {(int)response.StatusCode}");
            }
        }

        // Assert
        Assert.True(failures.Count == 0, $"Assets the log-in page references are not served: {string.Join(", ", failures)}\n{app.Output}");
    }

    [Fact]
    public async Task ReadyEndpoint_ReportsHealthy()
    {
        // Arrange
        var app = fixture.App;

        // Act
        using var response = await app.Http.GetAsync("/health/ready", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        // Assert
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /health/ready: {(int)response.StatusCode} {body}\n{app.Output}");
        Assert.Contains("\"status\":\"Healthy\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedOutRoot_RedirectsToLogin()
    {
        // Arrange
        var app = fixture.App;

        // Act
        using var response = await app.Http.GetAsync("/", Token);

        // Assert
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET /: {(int)response.StatusCode}\n{app.Output}");
        Assert.NotNull(response.Headers.Location);
        Assert.Contains("/Identity/Account/Login", response.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthcheckWhileAppRuns_ExitsZero()
    {
        // Arrange
        var app = fixture.App;

        // Act
        var (exitCode, output) = await app.RunHealthcheckAsync();

        // Assert
        Assert.True(exitCode == 0, $"--healthcheck exited {exitCode}: {output}\n{app.Output}");
    }

    [Fact]
    public async Task HealthcheckAfterAppStopped_ExitsOne()
    {
        // Arrange: an instance of its own, so stopping it leaves the shared one alone.
        await using var app = await fixture.StartAppAsync();
        var (runningExitCode, runningOutput) = await app.RunHealthcheckAsync();
        Assert.True(runningExitCode == 0, $"--healthcheck exited {runningExitCode} while the app ran: {runningOutput}\n{app.Output}");

        // Act
        await app.Process.StopAsync();
        var (exitCode, output) = await app.RunHealthcheckAsync();

        // Assert
        Assert.True(exitCode == 1, $"--healthcheck exited {exitCode} after the app stopped: {output}");
    }

    [Fact]
    public async Task HealthcheckWithManagementListener_AsksTheManagementPort_WhileThePublicPortServesTheApp()
    {
        // Arrange: the public port as the image sets it (ASPNETCORE_HTTP_PORTS), the management listener beside it.
        var management = new Uri($"http://127.0.0.1:{TestPaths.FreePort()}");
        await using var app = await fixture.StartAppAsync(new Dictionary<string, string> { ["DuckChat__Management__Urls"] = management.ToString() });
        using var managementClient = new HttpClient { BaseAddress = management };

        // Act
        var (exitCode, output) = await app.RunHealthcheckAsync();
        using var publicLogIn = await app.Http.GetAsync("/Identity/Account/Login", Token);
        using var publicLive = await app.Http.GetAsync("/health/live", Token);
        using var managementReady = await managementClient.GetAsync("/health/ready", Token);

        // Assert (the public port answers 404 for health, so a zero exit means the management port was asked)
        Assert.True(exitCode == 0, $"--healthcheck exited {exitCode}: {output}\n{app.Output}");
        Assert.True(publicLogIn.StatusCode == HttpStatusCode.OK, $"GET /Identity/Account/Login on the public port: {(int)publicLogIn.StatusCode}\n{app.Output}");
        Assert.Equal(HttpStatusCode.NotFound, publicLive.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await managementReady.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectory_HoldsDatabaseAndKeys()
    {
        // Arrange
        var app = fixture.App;
        var database = Path.Combine(app.DataDirectory, "duckchat.db");
        var keys = Path.Combine(app.DataDirectory, "keys");

        // Act: the log-in form's antiforgery token needs a data-protection key, so a key exists after it.
        using (var response = await app.Http.GetAsync("/Identity/Account/Login", Token))
        {
            Assert.True(response.IsSuccessStatusCode, $"GET /Identity/Account/Login: {(int)response.StatusCode}\n{app.Output}");
        }

        // Assert (the last value Eventually reports is the data dir's listing when it gave up)
        Assert.True(File.Exists(database), $"No SQLite database at {database}; data dir holds: {Listing(app.DataDirectory)}\n{app.Output}");
        await Eventually.GetAsync(() => Task.FromResult(Listing(app.DataDirectory)),
            _ => Directory.Exists(keys) && Directory.EnumerateFiles(keys, "*.xml").Any(),
            TimeSpan.FromSeconds(10), because: $"a data-protection key under {keys}; app output:\n{app.Output}\ndata dir listing");
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Listing(string folder) => Directory.Exists(folder)
        ? string.Join(", ", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)))
        : "(missing)";

    [GeneratedRegex(@"<(?:link|script)\b[^>]*\b(?:href|src)=""(?<url>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetReference();

    /// <summary>Publishes once per test class and runs one shared instance of the published app.</summary>
    public sealed class PublishFixture : IAsyncLifetime
    {
        private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
        private readonly string _workDirectory = TestPaths.NewTempDirectory("deploy");
        private PublishedApp? _app;

        public string PublishDirectory => Path.Combine(_workDirectory, "publish");

        public PublishedApp App => _app ?? throw new InvalidOperationException("The published app was not started.");

        public async ValueTask InitializeAsync()
        {
            try
            {
                await PublishLikeDockerfileAsync();
                _app = await StartAppAsync();
            }
            catch
            {
                TestPaths.DeleteQuietly(_workDirectory);
                throw;
            }
        }

        /// <summary>
        /// The Dockerfile's build stage, in a copy of the sources: restore from the project files alone (the
        /// image's cached restore layer), then add the sources and publish without restoring again. A plain
        /// <c>dotnet publish</c> of the repository would hide a restore that depends on more than the project
        /// files (it once left blazor.web.js out of the image). The repository's own bin/obj stay untouched.
        /// </summary>
        private async Task PublishLikeDockerfileAsync()
        {
            var root = TestPaths.RepoRoot;
            var source = Path.Combine(_workDirectory, "src");
            CopyFiles(root, source, "Directory.Build.props", "Directory.Packages.props", Path.Combine("DuckChat.Web", "DuckChat.Web.csproj"));
            // The Dockerfile restores and publishes for the image's architecture (TARGETARCH); here, this machine's.
            var architecture = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
            await RunDotnetAsync(source, ["restore", "DuckChat.Web/DuckChat.Web.csproj", "-a", architecture]);

            CopyFiles(root, source, "appsettings.json", "appsettings.Development.json");
            CopyDirectory(Path.Combine(root, "DuckChat.Web"), Path.Combine(source, "DuckChat.Web"));
            await RunDotnetAsync(source,
                ["publish", "DuckChat.Web/DuckChat.Web.csproj", "-c", "Release", "-o", PublishDirectory, "--no-restore", "-a", architecture, "-p:UseAppHost=false"]);

            if (!File.Exists(Path.Combine(PublishDirectory, "DuckChat.Web.dll")))
            {
                throw new InvalidOperationException($"dotnet publish left no DuckChat.Web.dll in {PublishDirectory}.");
            }
        }

        private static async Task RunDotnetAsync(string workingDirectory, string[] arguments)
        {
            // No build servers or reused nodes: they would outlive the command and hold its output pipes open.
            var start = new ProcessStartInfo(AppProcess.DotnetHost, [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"])
            {
                WorkingDirectory = workingDirectory,
            };
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

            var (exitCode, output) = await AppProcess.RunToExitAsync(start, PublishTimeout);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
            }
        }

        private static void CopyFiles(string fromRoot, string toRoot, params string[] relativePaths)
        {
            foreach (var relative in relativePaths)
            {
                var target = Path.Combine(toRoot, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(fromRoot, relative), target, overwrite: true);
            }
        }

        /// <summary>Copies a source folder without what .dockerignore keeps out of the build context.</summary>
        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
            }

            foreach (var folder in Directory.EnumerateDirectories(from))
            {
                if (Path.GetFileName(folder) is not ("bin" or "obj" or "App_Data" or "TestResults"))
                {
                    CopyDirectory(folder, Path.Combine(to, Path.GetFileName(folder)));
                }
            }
        }

        /// <summary>Starts another instance of the published app with its own port and data folder, and any more settings.</summary>
        public Task<PublishedApp> StartAppAsync(IReadOnlyDictionary<string, string>? settings = null) =>
            PublishedApp.StartAsync(PublishDirectory, Path.Combine(_workDirectory, $"data-{Guid.NewGuid():N}"), settings ?? new Dictionary<string, string>());

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await Teardown.RunAsync("the published app", () => _app.DisposeAsync());
            }

            TestPaths.DeleteQuietly(_workDirectory);
        }
    }

    /// <summary>The published app's process, run with what the Dockerfile sets, and an HTTP client for it.</summary>
    public sealed class PublishedApp : IAsyncDisposable
    {
        private readonly string _publishDirectory;
        private readonly Dictionary<string, string> _environment;

        private PublishedApp(string publishDirectory, string dataDirectory, int port, IReadOnlyDictionary<string, string> settings)
        {
            _publishDirectory = publishDirectory;
            DataDirectory = dataDirectory;
            // What the Dockerfile sets, with a free port and a temporary data folder.
            _environment = new Dictionary<string, string>(settings)
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
            };
            Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(30),
            };
            Process = AppProcess.Start(publishDirectory, _environment);
        }

        public AppProcess Process { get; }

        public HttpClient Http { get; }

        public string DataDirectory { get; }

        /// <summary>What the app wrote to stdout and stderr so far, for assertion messages.</summary>
        public string Output => $"--- app output ---\n{Process.Output}--- end of app output ---";

        public static async Task<PublishedApp> StartAsync(string publishDirectory, string dataDirectory, IReadOnlyDictionary<string, string> settings)
        {
            Directory.CreateDirectory(dataDirectory);
            var app = new PublishedApp(publishDirectory, dataDirectory, TestPaths.FreePort(), settings);
            try
            {
                // Health answers on the management listener when there is one.
                var healthBase = settings.TryGetValue("DuckChat__Management__Urls", out var management) ? new Uri(management) : app.Http.BaseAddress!;
                await app.Process.WaitUntilServingAsync(new Uri(healthBase, "/health/live").ToString());
                return app;
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }

        /// <summary>Runs <c>dotnet DuckChat.Web.dll --healthcheck</c> in the same folder with the same environment.</summary>
        public async Task<(int ExitCode, string Output)> RunHealthcheckAsync()
        {
            await using var check = AppProcess.Start(_publishDirectory, _environment, "--healthcheck");
            var exitCode = await check.WaitForExitAsync(TimeSpan.FromSeconds(30));
            return (exitCode, check.Output);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Process.DisposeAsync();
            }
            finally
            {
                Http.Dispose();
                TestPaths.DeleteQuietly(DataDirectory);
            }
        }
    }
}
