using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Security;

/// <summary>Cross-site WebSocket hijacking: a valid cookie from another site's page must not open a circuit.</summary>
public sealed class CircuitOriginTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    private const string Evil = "http://evil.test";

    [Fact]
    public async Task Negotiate_WithTheCookieFromAnotherOrigin_IsRefused_FromOurOwnOrigin_Accepted()
    {
        await EnsureUserAsync();
        using var client = await app.SignedInClientAsync("origin-user");

        using var evil = await NegotiateAsync(client, Evil);
        using var own = await NegotiateAsync(client, app.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task WebSocket_WithTheCookieFromAnotherOrigin_IsRefused()
    {
        await EnsureUserAsync();
        var cookies = new CookieContainer();
        using var client = await app.SignedInClientAsync("origin-user", cookies);
        using var negotiated = await NegotiateAsync(client, app.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var token = body.RootElement.GetProperty("connectionToken").GetString();
        var cookie = cookies.GetCookieHeader(app.BaseAddress);

        var evilSocket = await ConnectAsync(token!, cookie, Evil);
        var ownSocket = await ConnectAsync(token!, cookie, app.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.Forbidden, evilSocket);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, ownSocket);
    }

    private async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpStatusCode> ConnectAsync(string token, string cookie, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/_blazor", Query = $"id={token}" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        }
        catch (WebSocketException)
        {
            // The refusal: the status code says which.
        }

        return socket.HttpStatusCode;
    }

    private async Task EnsureUserAsync()
    {
        await using var db = await app.CreateDbContextAsync();
        if (!db.Users.Any(u => u.UserName == "origin-user"))
        {
            await app.CreateUserAsync("origin-user");
        }
    }
}
