using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DuckChat.Bench.Harness;

/// <summary>
/// A server under test as its own process (<c>dotnet X.dll</c>), pinned to core 0 with taskset when the machine has
/// two cores or more (the harness and the browser keep to the others). Reads the process's CPU time and RSS from
/// /proc, and its managed heap through the GcProbe startup hook.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>Variables of the harness's own environment that would configure the server; only the harness's choices may.</summary>
    private static readonly string[] InheritedSettingPrefixes = ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "DuckChat__", "ConnectionStrings__", "Logging__", "Baseline__"];
    private static readonly double ClockTicksPerSecond = ReadClockTicks();

    private readonly Process _process;
    private readonly string _gcSocket;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _errors = [];
    private string? _previousLine;

    private ServerProcess(ProcessStartInfo start, string baseUrl, string gcSocket)
    {
        BaseUrl = baseUrl;
        _gcSocket = gcSocket;
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    /// <summary>The server's process id (taskset execs dotnet, so it is the server's own).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// The machine's cores. Not <see cref="Environment.ProcessorCount"/>: that counts only the cores this process may
    /// use, and run.sh confines the harness to the client cores.
    /// </summary>
    public static int MachineCores { get; } = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal))
        : Environment.ProcessorCount;

    /// <summary>The server pins to core 0 only where another core is left for the harness and the browser.</summary>
    public static bool Pinned { get; } = MachineCores >= 2 && File.Exists("/usr/bin/taskset");

    /// <summary>The dotnet host the SDK runs under (tests may run where <c>dotnet</c> is not on PATH), else PATH's.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<ServerProcess> StartAsync(ServerKind kind, BenchOptions options, string dataDirectory)
    {
        var dll = Servers.DllPath(options, kind);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{kind} is not built: {dll} is missing (bench/run.sh publishes it).", dll);
        }

        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var gcSocket = Path.Combine(dataDirectory, "gc.sock");
        // taskset execs dotnet, so the process started here is the server itself (its /proc entry is the server's).
        var start = Pinned ? new ProcessStartInfo("/usr/bin/taskset", ["-c", "0", DotnetHost, dll]) : new ProcessStartInfo(DotnetHost, [dll]);
        start.WorkingDirectory = Path.GetDirectoryName(dll)!;
        foreach (var key in start.Environment.Keys.Where(k => InheritedSettingPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = options.Environment;
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(AppContext.BaseDirectory, "DuckChat.Bench.GcProbe.dll");
        start.Environment["DUCKCHAT_BENCH_GC_SOCKET"] = gcSocket;
        foreach (var (key, value) in Servers.Settings(kind, dataDirectory))
        {
            start.Environment[key] = value;
        }

        var server = new ServerProcess(start, baseUrl, gcSocket);
        try
        {
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>User plus system CPU time the process has used so far, from /proc/PID/stat.</summary>
    public double CpuSeconds() => CpuSecondsOf(Id);

    /// <summary>User plus system CPU time a process (the harness itself, too) has used so far, from /proc/PID/stat.</summary>
    public static double CpuSecondsOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    /// <summary>Resident set size, from VmRSS in /proc/PID/status.</summary>
    public long RssBytes() => StatusBytes("VmRSS");

    /// <summary>The highest resident set size since the start or the last <see cref="ResetPeakRss"/>, from VmHWM.</summary>
    public long PeakRssBytes() => StatusBytes("VmHWM");

    /// <summary>Sets the kernel's peak (VmHWM) back to the present resident size, so a peak can be read for one stretch of work.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{Id}/clear_refs", "5");

    private long StatusBytes(string field)
    {
        var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Live managed bytes after a full collection, as the GcProbe startup hook in the server reports them.</summary>
    public async Task<long> HeapBytesAsync() => long.Parse(await AskProbeAsync("heap"), CultureInfo.InvariantCulture);

    /// <summary>Blazor's own counts of the server's circuits (its circuit meter), through the GcProbe startup hook.</summary>
    public async Task<(long Active, long Connected)> CircuitCountsAsync()
    {
        var counts = (await AskProbeAsync("circuits")).Split(' ').Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        return (counts[0], counts[1]);
    }

    private async Task<string> AskProbeAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_gcSocket));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return (await reader.ReadLineAsync())!;
    }

    /// <summary>The error and critical entries the server has logged so far (level, category and first message line).</summary>
    public IReadOnlyList<string> LoggedErrors
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// A heap snapshot of the server by dotnet-gcdump (a local tool: run from the repository, as run.sh does), for
    /// <c>dotnet dotnet-gcdump report FILE</c> to list what holds the memory by type.
    /// </summary>
    public async Task WriteGcDumpAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var gcdump = Process.Start(new ProcessStartInfo(DotnetHost, ["dotnet-gcdump", "collect", "-p", Id.ToString(CultureInfo.InvariantCulture), "-o", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await gcdump.StandardOutput.ReadToEndAsync() + await gcdump.StandardError.ReadToEndAsync();
        await gcdump.WaitForExitAsync();
        if (gcdump.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump failed ({gcdump.ExitCode}): {output}");
        }
    }

    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before serving:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{BaseUrl} did not answer within {timeout}:\n{RecentOutput}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            // The console logger starts an entry with its level and category; the next line holds the message.
            if (_previousLine is { } previous && (previous.StartsWith("fail:", StringComparison.Ordinal) || previous.StartsWith("crit:", StringComparison.Ordinal)))
            {
                _errors.Add($"{previous} {line.Trim()}");
            }

            _previousLine = line;
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 100)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The kernel's clock tick (USER_HZ) that /proc/PID/stat counts CPU time in.</summary>
    private static double ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true })!;
        var text = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
