using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly (the runtime requires this type
/// name, outside any namespace). Listens on the Unix socket named by DUCKCHAT_BENCH_GC_SOCKET; each connection sends
/// one command line and gets one line back:
/// <c>heap</c>: the bytes of live managed objects after a full, compacting, blocking collection;
/// <c>circuits</c>: Blazor's own circuit counters (aspnetcore.components.circuit.active and .connected), as
/// "active connected", so the harness sees the server's view of the circuits it opened.
/// </summary>
internal static class StartupHook
{
    public const string SocketVariable = "DUCKCHAT_BENCH_GC_SOCKET";
    private const string CircuitMeter = "Microsoft.AspNetCore.Components.Server.Circuits";

    private static long s_activeCircuits;
    private static long s_connectedCircuits;
    private static MeterListener? s_listener; // kept, or the collector would end the listening

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(SocketVariable) is not { Length: > 0 } path)
        {
            return;
        }

        ListenToCircuitCounters();
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        new Thread(() => Serve(listener)) { IsBackground = true, Name = "bench-gc-probe" }.Start();
    }

    private static void Serve(Socket listener)
    {
        while (true)
        {
            using var connection = listener.Accept();
            using var stream = new NetworkStream(connection);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var answer = reader.ReadLine() switch
            {
                "heap" => HeapAfterFullCollection().ToString(CultureInfo.InvariantCulture),
                "circuits" => string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Read(ref s_activeCircuits)} {Interlocked.Read(ref s_connectedCircuits)}"),
                var other => $"unknown command {other}",
            };
            connection.Send(Encoding.ASCII.GetBytes(answer + "\n"));
        }
    }

    /// <summary>The circuit meter's up-down counters, summed from the start (the meter is created after this hook runs).</summary>
    private static void ListenToCircuitCounters()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CircuitMeter && instrument.Name is "aspnetcore.components.circuit.active" or "aspnetcore.components.circuit.connected")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref instrument.Name == "aspnetcore.components.circuit.active" ? ref s_activeCircuits : ref s_connectedCircuits, value));
        listener.Start();
        s_listener = listener;
    }

    private static long HeapAfterFullCollection()
    {
        // Twice, with finalizers in between: objects kept alive only by a finalizer go in the second pass.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
