using System.Text.Json;
using DuckChat.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Configuration;

public sealed class SettingsTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public void RootSettingsFile_IsLoadedBeforeEnvironmentVariables()
    {
        using var rootFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "appsettings.json")));
        var expected = rootFile.RootElement.GetProperty("DuckChat").GetProperty("Chat").GetProperty("MaxMessageLength").GetRawText();
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();

        var providers = configuration.Providers.ToList();
        var rootJson = providers.FindIndex(p => p is JsonConfigurationProvider { Source.Path: "appsettings.json" } json
            && json.TryGet("DuckChat:Chat:MaxMessageLength", out var value) && value == expected);
        var environment = providers.FindLastIndex(p => p is EnvironmentVariablesConfigurationProvider);

        Assert.True(rootJson >= 0, "The root appsettings.json is not among the app's configuration sources.");
        Assert.Equal(expected, configuration["DuckChat:Chat:MaxMessageLength"]);
        Assert.True(environment > rootJson, "Environment variables must come after (and so override) the settings file.");
    }

    [Fact]
    public async Task EnvironmentVariable_OverridesTheRootSettingsFile()
    {
        // The root file puts the data in App_Data; the variable moves it, and the database appears there.
        var dataDirectory = TestPaths.NewTempDirectory("env-override");
        var port = TestPaths.FreePort();
        try
        {
            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
            });

            await process.WaitUntilServingAsync($"http://127.0.0.1:{port}/health/ready");

            Assert.True(File.Exists(Path.Combine(dataDirectory, "duckchat.db")), process.Output);
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }

    [Theory]
    [InlineData("DuckChat__Chat__MaxMessageLength", "0", "DuckChat:Chat:MaxMessageLength")]
    [InlineData("DuckChat__Chat__MaxShownMessages", "20", "DuckChat:Chat:MaxShownMessages")]
    [InlineData("DuckChat__Database__Provider", "Oracle", "DuckChat:Database")]
    [InlineData("DuckChat__Accounts__LockoutMaxFailedAttempts", "0", "DuckChat:Accounts:LockoutMaxFailedAttempts")]
    [InlineData("DuckChat__Smtp__Host", "smtp.example.test", "DuckChat:Smtp:From")]
    [InlineData("DuckChat__Smtp__Host", "smtp.example.test", "DuckChat:PublicUrl: must be set when DuckChat:Smtp:Host is set")]
    [InlineData("DuckChat__PublicUrl", "ftp://chat.example.test", "DuckChat:PublicUrl")]
    [InlineData("DuckChat__PublicUrl", "https://chat.example.test/?x=1", "DuckChat:PublicUrl")]
    [InlineData("DuckChat__Accounts__PasswordResetLinkLifetime", "00:00:00", "DuckChat:Accounts:PasswordResetLinkLifetime")]
    [InlineData("DuckChat__Proxy__KnownProxies__0", "not-an-ip", "DuckChat:Proxy:KnownProxies")]
    [InlineData("DuckChat__Health__CacheFor", "00:05:00", "DuckChat:Health:CacheFor")]
    [InlineData("DuckChat__Management__Urls", "https://127.0.0.1:9090", "DuckChat:Management:Urls")]
    [InlineData("DuckChat__Management__Urls", "http://127.0.0.1", "DuckChat:Management:Urls")]
    [InlineData("DuckChat__Management__Urls", "http://127.0.0.1:9090/management", "DuckChat:Management:Urls")]
    [InlineData("DuckChat__Redis__ResendWindow", "02:00:00", "DuckChat:Redis:ResendWindow")]
    public async Task BadValue_StopsStartUp_NamingTheSetting(string variable, string value, string named)
    {
        await AssertStartUpStopsAsync(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPaths.FreePort()}", [variable] = value }, named);
    }

    [Fact]
    public async Task ManagementPortSameAsPublicPort_StopsStartUp_NamingTheSetting()
    {
        var port = TestPaths.FreePort();
        await AssertStartUpStopsAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = $"{port}",
            ["DuckChat__Management__Urls"] = $"http://127.0.0.1:{port}",
        }, "DuckChat:Management:Urls: the port of");
    }

    private static async Task AssertStartUpStopsAsync(Dictionary<string, string> environment, string named)
    {
        var dataDirectory = TestPaths.NewTempDirectory("bad-config");
        try
        {
            environment["DuckChat__Database__DataDirectory"] = dataDirectory;
            await using var process = AppProcess.Start(TestPaths.WebBuildOutput, environment);

            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            Assert.Contains(named, process.Output);
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }
}
