using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Bench.Circuits;

/// <summary>A bench message marker and when the render batch carrying it arrived (<see cref="BenchClock"/> ms).</summary>
public readonly record struct SeenKey(string Key, double AtMs);

/// <summary>
/// One browser tab on a DuckChat chat page, without the browser: the prerendered page, then a circuit over
/// /_blazor with the blazorpack protocol, as blazor.web.js 10.0.12 (.NET 10) opens it. Acknowledges every render
/// batch, answers the page's JS interop calls (<see cref="BrowserAnswers"/>), makes the calls the page's own
/// scripts make (Composer sends, TypingIndicator signals typing; the layout's AttentionReporter answers attach with the tab's attention), and notes when each message marker first arrives.
/// It keeps no DOM: what it knows of the page is the markers in the batches.
/// </summary>
public sealed class BlazorCircuit : IAsyncDisposable
{
    private const string ComposerModule = "./Chats/Composer.razor.js";
    private const string TypingModule = "./Chats/TypingIndicator.razor.js";

    private readonly HubConnection _connection;
    private readonly BrowserAnswers _answers;
    private readonly BrowserProfile _browser;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _pendingDotNetCalls = new();
    private readonly Lock _gate = new();
    private readonly List<SeenKey> _seen = [];
    private readonly HashSet<string> _seenKeys = [];
    private long _nextCallId; // blazor.web.js numbers its calls into .NET from 1
    private long _composer;
    private long _typing;
    private bool _disposing;

    private readonly SignedInAccount _account;
    private string? _secret;

    private BlazorCircuit(SignedInAccount account, BrowserProfile browser)
    {
        _account = account;
        _browser = browser;
        _answers = new BrowserAnswers(browser);
        var origin = account.BaseUri.GetLeftPart(UriPartial.Authority);
        var builder = new HubConnectionBuilder().WithUrl(new Uri(account.BaseUri, "_blazor"), HttpTransportType.WebSockets, options =>
        {
            options.Cookies = account.Cookies;
            // DuckChat refuses circuits from other origins; a browser always sends its page's.
            options.Headers["Origin"] = origin;
            // Chromium offers permessage-deflate and Blazor accepts it, so the server compresses for this client too.
            options.WebSocketConfiguration = socket => socket.DangerousDeflateOptions = new WebSocketDeflateOptions();
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        _connection = builder.Build();
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        _connection.On<long, string, string?, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        _connection.On<string, bool, string?>("JS.EndInvokeDotNet", OnEndInvokeDotNet);
        _connection.On<string?>("JS.Error", error => Fail($"JS.Error: {error}"));
        // Only the DOM cares about these: the root components are attached and the operation batch is done.
        _connection.On<int, string>("JS.AttachComponent", (_, _) => { });
        _connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        _connection.Closed += error =>
        {
            if (!_disposing)
            {
                Fail($"connection closed: {error?.Message ?? "by the server"}");
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Whether this tab is looked at (visible and focused); a hidden tab renders no new message rows.</summary>
    public bool Attentive => _browser.Attentive;

    /// <summary>Why the circuit stopped working (server error, dropped connection), or null while it works.</summary>
    public string? Failure { get; private set; }

    public int RenderBatches { get; private set; }

    public long RenderBatchBytes { get; private set; }

    /// <summary>JS calls the server made that this client answered with null for want of knowing them.</summary>
    public IReadOnlyCollection<string> UnknownJsCalls => _answers.Unknown;

    /// <summary>Every JS interop call the server made on this tab and this client's answer, in order (compared with a browser's).</summary>
    public List<JsExchange> JsExchanges { get; } = [];

    /// <summary>The calls this tab made into .NET, as method(arguments), in order.</summary>
    public List<string> DotNetCalls { get; } = [];

    public IReadOnlyList<SeenKey> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Loads the page, starts its circuit and waits until its composer is ready, as a tab does on opening.</summary>
    public static async Task<BlazorCircuit> OpenAsync(SignedInAccount account, string path, BrowserProfile browser, TimeSpan timeout, CancellationToken cancellationToken) =>
        await StartAsync(account, await PrerenderedPage.LoadAsync(account, path, cancellationToken), browser, timeout, cancellationToken);

    /// <summary>Starts the circuit of a page loaded before (with the account's cookies as they are now) and waits until its composer is ready.</summary>
    public static async Task<BlazorCircuit> StartAsync(SignedInAccount account, PrerenderedPage page, BrowserProfile browser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = page.Location.PathAndQuery;
        var circuit = new BlazorCircuit(account, browser);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await circuit._connection.StartAsync(deadline.Token);
            var baseUri = account.BaseUri.GetLeftPart(UriPartial.Authority) + "/";
            var secret = await circuit._connection.InvokeAsync<string?>(
                "StartCircuit", baseUri, page.Location.ToString(), "[]", page.ApplicationState, deadline.Token);
            circuit._secret = secret ?? throw new InvalidOperationException($"The server refused to start a circuit for {path}: {circuit.Failure}");

            await circuit._connection.SendAsync("UpdateRootComponents", page.AddRootComponentsJson(1), page.ApplicationState, deadline.Token);
            await circuit._ready.Task.WaitAsync(deadline.Token);
            return circuit;
        }
        catch (Exception e)
        {
            var failure = circuit.Failure;
            await circuit.DisposeAsync();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{path} as {account.UserName} was not ready within {timeout}{(failure is null ? "" : $": {failure}")}", e);
            }

            throw;
        }
    }

    /// <summary>Signals that this tab's person is typing, as the typing script does while they type (TypingAsync, no answer).</summary>
    public async Task SignalTypingAsync(CancellationToken cancellationToken) =>
        await InvokeDotNetAsync(_typing, "TypingAsync", "[]", cancellationToken);

    /// <summary>
    /// Sends a message as the composer's script does on Enter (SendTypedTextAsync on the composer, with a new client
    /// message id); completes when the server has answered the call, that is when the send was saved or refused.
    /// </summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        var args = JsonSerializer.Serialize(new object[] { text, Guid.NewGuid(), Array.Empty<string>() }); // no files
        var result = await InvokeDotNetAsync(_composer, "SendTypedTextAsync", args, cancellationToken);
        if (result is { Succeeded: false })
        {
            throw new InvalidOperationException($"SendTypedTextAsync failed: {result.Value.Json}");
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        var arrived = BenchClock.NowMs;
        RenderBatches++;
        RenderBatchBytes += batch.Length;
        var keys = MessageKeys.Find(batch);
        if (keys.Count > 0)
        {
            lock (_gate)
            {
                foreach (var key in keys.Where(_seenKeys.Add))
                {
                    _seen.Add(new SeenKey(key, arrived));
                }
            }
        }

        // blazor.web.js acknowledges each batch after applying it; the server sends at most a few unacknowledged.
        await _connection.SendAsync("OnRenderCompleted", batchId, (string?)null);
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string? argsJson, int resultType, long targetInstanceId, int callType)
    {
        var answer = _answers.Answer(identifier, argsJson, resultType, targetInstanceId);
        var answerJson = $"[{asyncHandle.ToString(CultureInfo.InvariantCulture)},{(answer.Succeeded ? "true" : "false")},{answer.ResultJson}]";
        JsExchanges.Add(new JsExchange(identifier, argsJson, asyncHandle == 0 ? null : answerJson));
        // The page's attach functions call into .NET while they run, so those calls go out before their answers.
        if (identifier == "attach")
        {
            await OnAttachedAsync(_answers.ModuleOf(targetInstanceId), argsJson);
        }

        if (asyncHandle != 0)
        {
            await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, answer.Succeeded, answerJson);
        }
    }

    private async Task OnAttachedAsync(string? module, string? argsJson)
    {
        var dotNetObject = DotNetObjectIn(argsJson);
        switch (module)
        {
            case TypingModule:
                _typing = dotNetObject;
                break;
            case ComposerModule:
                _composer = dotNetObject;
                _ready.TrySetResult(); // the script sets data-ready: Enter sends from now on
                break;
        }

        await Task.CompletedTask;
    }

    private async Task<(bool Succeeded, string? Json)?> InvokeDotNetAsync(long dotNetObjectId, string method, string argsJson, CancellationToken cancellationToken)
    {
        var callId = Interlocked.Increment(ref _nextCallId).ToString(CultureInfo.InvariantCulture);
        lock (DotNetCalls)
        {
            DotNetCalls.Add($"{method}({argsJson})");
        }

        var pending = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingDotNetCalls[callId] = pending;
        try
        {
            await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, (string?)null, method, dotNetObjectId, argsJson, cancellationToken);
            return (true, await pending.Task.WaitAsync(cancellationToken));
        }
        catch (DotNetCallFailedException e)
        {
            return (false, e.Message);
        }
        finally
        {
            _pendingDotNetCalls.TryRemove(callId, out _);
        }
    }

    private void OnEndInvokeDotNet(string callId, bool succeeded, string? resultOrError)
    {
        if (_pendingDotNetCalls.TryGetValue(callId, out var pending))
        {
            if (succeeded)
            {
                pending.TrySetResult(resultOrError);
            }
            else
            {
                pending.TrySetException(new DotNetCallFailedException(resultOrError ?? "(no message)"));
            }
        }
    }

    /// <summary>The first <c>{"__dotNetObject":N}</c> among a JS call's arguments.</summary>
    private static long DotNetObjectIn(string? argsJson)
    {
        using var args = JsonDocument.Parse(argsJson ?? "[]");
        foreach (var arg in args.RootElement.EnumerateArray())
        {
            if (arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty("__dotNetObject", out var id))
            {
                return id.GetInt64();
            }
        }

        throw new InvalidOperationException($"attach was called without a .NET object: {argsJson}");
    }

    private void Fail(string failure)
    {
        Failure ??= failure;
        _ready.TrySetException(new InvalidOperationException(failure));
        foreach (var pending in _pendingDotNetCalls.Values)
        {
            pending.TrySetException(new InvalidOperationException(failure));
        }
    }

    /// <summary>
    /// Closes the tab as a browser does: on pagehide blazor.web.js beacons the circuit's id to _blazor/disconnect,
    /// so the server ends the circuit at once instead of keeping it for a reconnect; then the socket goes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (_secret is not null && Failure is null)
        {
            using var form = new MultipartFormDataContent { { new StringContent(_secret), "circuitId" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, "_blazor/disconnect") { Content = form };
            request.Headers.Add("Origin", _account.BaseUri.GetLeftPart(UriPartial.Authority));
            try
            {
                using var response = await _account.Http.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                // A beacon is best effort; the server then keeps the circuit for its retention period.
            }
        }

        await _connection.DisposeAsync();
    }

    private sealed class DotNetCallFailedException(string message) : Exception(message);
}
