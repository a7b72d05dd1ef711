using System.Net;
using System.Text.Json;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Health;

/// <summary>
/// With <c>DuckChat:Management:Urls</c> set, health answers only on the management listener, and the management
/// listener answers nothing else; the public address keeps serving the app (it is named the way ASPNETCORE_URLS
/// names it, so this is also the check that an added listener does not replace it).
/// </summary>
public sealed class ManagementListenerTests(ManagementListenerTests.ManagementAppFactory app) : IClassFixture<ManagementListenerTests.ManagementAppFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task ManagementUrlsSet_HealthAnswersOnTheManagementPort_And404OnThePublicPort(string path)
    {
        // Act
        var (onManagement, onPublic) = await GetOnBothAsync(path);

        // Assert
        Assert.Equal(HttpStatusCode.OK, onManagement.Status);
        using var body = JsonDocument.Parse(onManagement.Body);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, onPublic.Status);
    }

    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task ManagementUrlsSet_ThePublicPortServesTheApp_TheManagementPortDoesNot(string path)
    {
        // Act
        var (onManagement, onPublic) = await GetOnBothAsync(path);

        // Assert
        Assert.Equal(HttpStatusCode.OK, onPublic.Status);
        Assert.Equal(HttpStatusCode.NotFound, onManagement.Status);
    }

    private sealed record Answer(HttpStatusCode Status, string Body);

    /// <summary>GET <paramref name="path"/> on the management port and on the public port.</summary>
    private async Task<(Answer OnManagement, Answer OnPublic)> GetOnBothAsync(string path)
    {
        using var publicPort = app.CreateHttpClient();
        using var management = new HttpClient { BaseAddress = app.ManagementAddress };
        return (await GetAsync(management, path), await GetAsync(publicPort, path));
    }

    private static async Task<Answer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The app with a management listener on a free loopback port.</summary>
    public sealed class ManagementAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
    {
        ["DuckChat:Management:Urls"] = $"http://127.0.0.1:{TestPaths.FreePort()}",
    });
}
