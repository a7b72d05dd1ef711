using System.Diagnostics;
using System.Text;

namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// DuckChat.Web.dll run as its own process (<c>dotnet DuckChat.Web.dll</c>), as a deployment runs it, with the
/// environment variables a test chooses. Output is captured for assertion messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    /// <summary>Variables of the test run that would configure the app under test; only the test's own choices may.</summary>
    private static readonly string[] AppSettingPrefixes = ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "DuckChat__", "ConnectionStrings__", "Logging__"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The dotnet host the SDK runs under (tests may run where <c>dotnet</c> is not on PATH), else PATH's.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static AppProcess Start(string appDirectory, IDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost) { WorkingDirectory = appDirectory };
        start.ArgumentList.Add(Path.Combine(appDirectory, "DuckChat.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => AppSettingPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new AppProcess(start);
    }

    /// <summary>Starts another long-running program (such as nginx) the same way: output captured, killed at the end.</summary>
    public static AppProcess StartCommand(ProcessStartInfo start) => new(start);

    /// <summary>Runs another command (such as <c>dotnet publish</c>) to its end the same way: output captured, killed on timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        await using var process = new AppProcess(start);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.Output);
    }

    /// <summary>Waits for the process to end; throws <see cref="TimeoutException"/> (with the output) if it does not in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var testCancelled = TestContext.Current.CancellationToken;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(testCancelled);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!testCancelled.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"'{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}' did not exit within {timeout}:\n{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Polls a URL until it answers with success; fails with the app's output if it exits or times out.</summary>
    public async Task WaitUntilServingAsync(string url, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The app exited with {_process.ExitCode} before serving:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout ?? TimeSpan.FromSeconds(60), because: $"{url} to answer; output so far:\n{Output}");
    }

    /// <summary>Kills the process tree and waits until it is gone (the app stopped, as a container is); safe to repeat.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(limit.Token);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
