using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace DuckChat.Bench.Circuits;

/// <summary>
/// Reads a real browser's /_blazor WebSocket frames (as Playwright reports them) with the same protocol the client
/// speaks, and pairs each JS interop call the server made with the browser's answer, and lists the browser's calls
/// into .NET: the reference the client's own <see cref="BlazorCircuit.JsExchanges"/> is compared with.
/// </summary>
public sealed class HubTranscript
{
    private readonly BlazorPackProtocol _protocol = new();
    private readonly Dictionary<long, JsExchange> _pending = [];
    private readonly Lock _gate = new();

    public List<JsExchange> JsExchanges { get; } = [];

    /// <summary>Methods and arguments of the browser's BeginInvokeDotNetFromJS calls, in order.</summary>
    public List<string> DotNetCalls { get; } = [];

    /// <summary>Hub methods each side invoked, in order (client: "StartCircuit", server: "JS.RenderBatch", ...).</summary>
    public List<string> Invocations { get; } = [];

    /// <summary>Frames this reader could not decode (each a difference from what the client expects of the protocol).</summary>
    public List<string> Undecoded { get; } = [];

    /// <summary>A binary frame; text frames (the JSON handshake) carry no hub messages of interest.</summary>
    public void Add(byte[] frame, bool fromServer)
    {
        var input = new ReadOnlySequence<byte>(frame);
        var binder = fromServer ? ServerMethods : ClientMethods;
        lock (_gate)
        {
            try
            {
                while (_protocol.TryParseMessage(ref input, binder, out var message))
                {
                    switch (message)
                    {
                        case InvocationMessage invocation:
                            Record(invocation, fromServer);
                            break;
                        case InvocationBindingFailureMessage failure:
                            Undecoded.Add($"{failure.Target}: {failure.BindingFailure.SourceException.Message}");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or InvalidCastException or InvalidOperationException)
            {
                // Called from the browser's event loop: a frame that does not decode is noted, never thrown there.
                Undecoded.Add($"{(fromServer ? "server" : "browser")} frame of {frame.Length} bytes: {e.Message}");
            }
        }
    }

    private void Record(InvocationMessage invocation, bool fromServer)
    {
        Invocations.Add((fromServer ? "server " : "browser ") + invocation.Target);
        var args = invocation.Arguments;
        switch (invocation.Target)
        {
            case "JS.BeginInvokeJS":
                var exchange = new JsExchange((string)args[1]!, (string?)args[2], null);
                _pending[(long)args[0]!] = exchange;
                JsExchanges.Add(exchange);
                break;
            case "EndInvokeJSFromDotNet" when _pending.Remove((long)args[0]!, out var call):
                JsExchanges[JsExchanges.IndexOf(call)] = call with { AnswerJson = (string?)args[2] };
                break;
            case "BeginInvokeDotNetFromJS":
                DotNetCalls.Add($"{args[2]}({args[4]})");
                break;
        }
    }

    /// <summary>The argument types of each hub method, as ComponentHub (.NET 10) and blazor.web.js declare them.</summary>
    private sealed class Binder(Dictionary<string, Type[]> methods) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methods.TryGetValue(methodName, out var types) ? types : throw new InvalidOperationException($"Unknown hub method {methodName}");

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }

    private static readonly Binder ServerMethods = new(new Dictionary<string, Type[]>
    {
        ["JS.RenderBatch"] = [typeof(long), typeof(byte[])],
        ["JS.BeginInvokeJS"] = [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
        ["JS.EndInvokeDotNet"] = [typeof(string), typeof(bool), typeof(string)],
        ["JS.EndUpdateRootComponents"] = [typeof(long)],
        ["JS.AttachComponent"] = [typeof(int), typeof(string)],
        ["JS.Error"] = [typeof(string)],
        ["JS.ReceiveByteArray"] = [typeof(int), typeof(byte[])],
        ["JS.EndLocationChanging"] = [typeof(int), typeof(bool)],
        ["JS.BeginTransmitStream"] = [typeof(long)],
    });

    private static readonly Binder ClientMethods = new(new Dictionary<string, Type[]>
    {
        ["StartCircuit"] = [typeof(string), typeof(string), typeof(string), typeof(string)],
        ["UpdateRootComponents"] = [typeof(string), typeof(string)],
        ["ConnectCircuit"] = [typeof(string)],
        ["OnRenderCompleted"] = [typeof(long), typeof(string)],
        ["BeginInvokeDotNetFromJS"] = [typeof(string), typeof(string), typeof(string), typeof(long), typeof(string)],
        ["EndInvokeJSFromDotNet"] = [typeof(long), typeof(bool), typeof(string)],
        ["OnLocationChanged"] = [typeof(string), typeof(string), typeof(bool)],
        ["OnLocationChanging"] = [typeof(int), typeof(string), typeof(string), typeof(bool)],
    });
}
