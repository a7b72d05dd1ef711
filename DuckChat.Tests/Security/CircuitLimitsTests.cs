using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class CircuitLimitsTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    [Fact]
    public void CircuitLimits_ReachBlazorsOwnHubAndCircuitOptions()
    {
        app.StartServer();
        var limits = app.Services.GetRequiredService<IOptions<CircuitLimitsOptions>>().Value;
        // Blazor's hub type is internal: its options are found by name.
        var componentHub = typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var hubOptions = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(componentHub)));
        var hub = (HubOptions)hubOptions.GetType().GetProperty("Value")!.GetValue(hubOptions)!;
        var circuit = app.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(limits.MaxReceiveMessageSize, hub.MaximumReceiveMessageSize);
        Assert.Equal(limits.DisconnectedRetention, circuit.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(limits.JSInteropTimeout, circuit.JSInteropDefaultCallTimeout);
        Assert.Equal(limits.MaxUnacknowledgedRenderBatches, circuit.MaxBufferedUnacknowledgedRenderBatches);
    }

    [Fact]
    public async Task OversizedHubMessage_ClosesOnlyTheSendersConnection()
    {
        var alice = await app.CreateUserAsync("big-alice");
        await app.CreateUserAsync("big-bob");
        var chatId = (await app.ChatServiceFor(alice).OpenDirectChatAsync("big-bob")).ChatId;
        var bob = await (await browser.NewContextAsync(app)).NewPageAsync();
        await bob.LogInAsync("big-bob");
        await bob.OpenAsync($"/chats/{chatId}");

        var cookies = new CookieContainer();
        using var client = await app.SignedInClientAsync("big-alice", cookies);
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        using var negotiated = await client.SendAsync(negotiate, TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies.GetCookieHeader(app.BaseAddress));
        var uri = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/_blazor", Query = $"id={body.RootElement.GetProperty("connectionToken").GetString()}" }.Uri;
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        var handshake = new byte[256];
        await socket.ReceiveAsync(handshake, TestContext.Current.CancellationToken);

        // One crafted message far over DuckChat:Circuit:MaxReceiveMessageSize (64 KB by default).
        await socket.SendAsync(new byte[1024 * 1024], WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);
        var closed = await Eventually.GetAsync(async () =>
        {
            try
            {
                var result = await socket.ReceiveAsync(new byte[4096], TestContext.Current.CancellationToken);
                return result.MessageType == WebSocketMessageType.Close || socket.State != WebSocketState.Open;
            }
            catch (WebSocketException)
            {
                return true;
            }
        }, done => done, because: "the server to close the offending connection");

        Assert.True(closed);
        await app.ChatServiceFor(alice).SendAsync(chatId, "everyone else is fine", Guid.NewGuid());
        await bob.ExpectLastMessagesAsync(["everyone else is fine"]);
    }

    [Fact]
    public async Task CircuitSocket_IsCompressed_WithoutTheServerKeepingItsWindowBetweenMessages()
    {
        await app.CreateUserAsync("deflate-dora");
        var cookies = new CookieContainer();
        using var client = await app.SignedInClientAsync("deflate-dora", cookies);
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        using var negotiated = await client.SendAsync(negotiate, TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies.GetCookieHeader(app.BaseAddress));
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions(); // as Chromium offers
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/_blazor", Query = $"id={body.RootElement.GetProperty("connectionToken").GetString()}" }.Uri;

        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);

        var extensions = string.Join(",", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"]);
        Assert.Contains("permessage-deflate", extensions);
        Assert.Contains("server_no_context_takeover", extensions);
    }
}
