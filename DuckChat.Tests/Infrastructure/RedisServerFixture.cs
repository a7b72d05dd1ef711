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
    private string? _password; // while ShutOutCommandConnectionsAsync refuses connections that do not know it

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

    /// <summary>
    /// Runs one command on a connection of its own (which a <c>CLIENT KILL</c> it sends spares) and returns the reply:
    /// a status, error or integer line as it came, a bulk string's text.
    /// </summary>
    public async Task<string> CommandAsync(params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        string[][] commands = _password is null ? [command] : [["AUTH", _password], command];
        var request = new StringBuilder();
        foreach (var words in commands)
        {
            request.Append($"*{words.Length}\r\n");
            foreach (var word in words)
            {
                request.Append($"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
            }
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var reply = "";
        foreach (var _ in commands)
        {
            reply = await reader.ReadLineAsync() ?? "";
            if (reply.StartsWith('$') && int.Parse(reply[1..]) is var length and >= 0)
            {
                var text = new char[length]; // the replies read here are ASCII: characters are bytes
                await reader.ReadBlockAsync(text);
                await reader.ReadLineAsync();
                reply = new string(text);
            }
        }

        return reply;
    }

    /// <summary>
    /// Kills every command connection (<c>CLIENT KILL TYPE normal</c>: the ones clients publish on) and refuses new
    /// ones (a password they do not know) until disposed; pub/sub connections stay.
    /// </summary>
    public async Task<IAsyncDisposable> ShutOutCommandConnectionsAsync()
    {
        var password = Guid.NewGuid().ToString("N");
        await CommandAsync("CONFIG", "SET", "requirepass", password);
        _password = password;
        await CommandAsync("CLIENT", "KILL", "TYPE", "normal");
        return new LetIn(this);
    }

    /// <summary>The id of the connection of type <paramref name="type"/> (<c>normal</c>, <c>pubsub</c>) that a client named <paramref name="name"/> holds.</summary>
    public async Task<string> ClientIdAsync(string name, string type)
    {
        var clients = (await CommandAsync("CLIENT", "LIST", "TYPE", type)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fields = clients.Select(line => line.Split(' ').Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]));
        return Assert.Single(fields, client => client.GetValueOrDefault("name") == name)["id"];
    }

    private sealed class LetIn(RedisServerFixture redis) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await redis.CommandAsync("CONFIG", "SET", "requirepass", "");
            redis._password = null;
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
