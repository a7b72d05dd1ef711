using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Controls one page's connection to its Blazor circuit: cut the WebSocket once (Blazor reconnects at once),
/// or block every /_blazor request (negotiate, WebSocket, long polling) until restored. Install before the
/// page loads, so its connection goes through the route.
/// </summary>
public sealed class BlazorConnection
{
    private static readonly Regex BlazorHub = new("/_blazor");
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _sockets = [];
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

            var server = ws.ConnectToServer();
            lock (connection._sockets)
            {
                connection._sockets.Add((ws, server));
            }
        });
        await page.RouteAsync(BlazorHub, route => connection._blocked ? route.AbortAsync() : route.ContinueAsync());
        return connection;
    }

    /// <summary>Closes the page's open circuit sockets; with <paramref name="block"/>, refuses every reconnect until <see cref="Restore"/>.</summary>
    public async Task CutAsync(bool block = false)
    {
        _blocked = block;
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (_sockets)
        {
            open = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var (page, server) in open)
        {
            await server.CloseAsync();
            await page.CloseAsync();
        }
    }

    public void Restore() => _blocked = false;
}
