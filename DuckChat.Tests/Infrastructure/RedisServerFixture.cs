using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// A real redis-server of our own on a free port (nothing persisted), stopped by its pid at the end.
/// Under CI=true a missing redis-server fails the test; elsewhere it skips saying what to install.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private readonly string _folder = TestPaths.NewTempDirectory("redis");
    private int? _pid;

    public int Port { get; } = TestPaths.FreePort();

    public string Configuration => $"127.0.0.1:{Port}";

    public static string? ServerPath { get; } =
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public ValueTask InitializeAsync() => new(StartAsync());

    /// <summary>Starts the server (again, on the same port, empty: nothing is persisted).</summary>
    public async Task StartAsync()
    {
        if (ServerPath is null)
        {
            return;
        }

        var pidFile = Path.Combine(_folder, "redis.pid");
        File.Delete(pidFile);
        using var start = Process.Start(new ProcessStartInfo(ServerPath)
        {
            ArgumentList =
            {
                "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "yes", "--pidfile", pidFile, "--dir", _folder,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await start.WaitForExitAsync();
        var pidText = await Eventually.GetAsync(
            async () => File.Exists(pidFile) ? await File.ReadAllTextAsync(pidFile) : "",
            text => text.Trim().Length > 0, because: "redis-server to write its pid file");
        _pid = int.Parse(pidText.Trim());
        await Eventually.TrueAsync(async () => await PingAsync() == "+PONG", because: "redis-server to answer PING");
    }

    /// <summary>Stops the server as a crash would (every connection drops at once).</summary>
    public void Stop()
    {
        if (_pid is not { } pid)
        {
            return;
        }

        _pid = null;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open but nothing answers, as with a hung Redis.</summary>
    public void Freeze(bool frozen)
    {
        using var signal = Process.Start("kill", [frozen ? "-STOP" : "-CONT", _pid!.Value.ToString()]);
        signal.WaitForExit();
    }

    /// <summary>Sends PING over the Redis protocol and returns the reply line.</summary>
    public async Task<string> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Trim();
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode.ToString();
        }
    }

    public void RequireServer() => TestPaths.RequireTool(ServerPath is not null, "redis-server (apt-get install -y redis-server)");

    public ValueTask DisposeAsync()
    {
        if (_pid is not null)
        {
            Freeze(false);
            Stop();
        }

        TestPaths.DeleteQuietly(_folder);
        return ValueTask.CompletedTask;
    }
}
