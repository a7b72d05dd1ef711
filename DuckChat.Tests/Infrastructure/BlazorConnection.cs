using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Controls one page's connection to its Blazor circuit: cut the WebSocket once (Blazor reconnects at once),
/// block every /_blazor request (negotiate, WebSocket, long polling) until restored, or stall the open socket
/// (what the page sends is lost, and nothing tells Blazor). Install before the page loads, so its connection goes
/// through the route.
/// </summary>
public sealed class BlazorConnection
{
    private static readonly Regex BlazorHub = new("/_blazor");
    private readonly List<Socket> _sockets = [];
    private volatile bool _blocked;

    private BlazorConnection()
    {
    }

    public static async Task<BlazorConnection> InstallAsync(IPage page)
    {
        var connection = new BlazorConnection();
        await page.RouteWebSocketAsync(BlazorHub, ws =>
        {
            if (connection._blocked)
            {
                _ = ws.CloseAsync();
                return;
            }

            var socket = new Socket(ws, ws.ConnectToServer());
            // The page's frames go on to the server unless the socket is stalled (the server's come through as they are).
            ws.OnMessage(frame =>
            {
                if (socket.Stalled)
                {
                    return;
                }

                if (frame.Binary is { } bytes)
                {
                    socket.Server.Send(bytes);
                }
                else if (frame.Text is { } text)
                {
                    socket.Server.Send(text);
                }
            });
            lock (connection._sockets)
            {
                connection._sockets.Add(socket);
            }
        });
        await page.RouteAsync(BlazorHub, route => connection._blocked ? route.AbortAsync() : route.ContinueAsync());
        return connection;
    }

    /// <summary>
    /// From now on, what the page sends on its open circuit sockets is lost, while the sockets stay open: a network
    /// path that died without closing them. Blazor does not notice until <see cref="CutAsync"/> (or its timeouts).
    /// </summary>
    public void Stall()
    {
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Stalled = true);
        }
    }

    /// <summary>Closes the page's open circuit sockets; with <paramref name="block"/>, refuses every reconnect until <see cref="Restore"/>.</summary>
    public async Task CutAsync(bool block = false)
    {
        _blocked = block;
        List<Socket> open;
        lock (_sockets)
        {
            open = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var socket in open)
        {
            await socket.Server.CloseAsync();
            await socket.Page.CloseAsync();
        }
    }

    public void Restore() => _blocked = false;

    private sealed class Socket(IWebSocketRoute page, IWebSocketRoute server)
    {
        public IWebSocketRoute Page { get; } = page;

        public IWebSocketRoute Server { get; } = server;

        private volatile bool _stalled;

        public bool Stalled
        {
            get => _stalled;
            set => _stalled = value;
        }
    }
}
