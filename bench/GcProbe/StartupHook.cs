using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly (the runtime requires this type
/// name, outside any namespace). Listens on the Unix socket named by DUCKCHAT_BENCH_GC_SOCKET; each connection
/// gets one line: the bytes of live managed objects after a full, compacting, blocking collection.
/// </summary>
internal static class StartupHook
{
    public const string SocketVariable = "DUCKCHAT_BENCH_GC_SOCKET";

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(SocketVariable) is not { Length: > 0 } path)
        {
            return;
        }

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
            connection.Send(Encoding.ASCII.GetBytes(HeapAfterFullCollection().ToString(CultureInfo.InvariantCulture) + "\n"));
        }
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
