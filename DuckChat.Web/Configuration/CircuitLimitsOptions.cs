using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

/// <summary>Blazor circuit limits, set on purpose rather than left to the framework's defaults.</summary>
public sealed class CircuitLimitsOptions
{
    /// <summary>How long a circuit whose browser went away is kept, so a reconnecting tab finds it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00.")]
    public TimeSpan DisconnectedRetention { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How many disconnected circuits are kept at once.</summary>
    [Range(0, 100_000, ErrorMessage = "must be between 0 and 100000.")]
    public int DisconnectedMaxRetained { get; set; } = 1000;

    /// <summary>How long the server waits for a browser to answer a JS interop call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "must be between 00:00:01 and 00:10:00.")]
    public TimeSpan JSInteropTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Render batches sent to a browser that has not acknowledged them before the circuit waits.</summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100.")]
    public int MaxUnacknowledgedRenderBatches { get; set; } = 10;

    /// <summary>Largest message a browser may send over the circuit's connection, in bytes (a message of MaxMessageLength fits).</summary>
    [Range(16 * 1024, 16 * 1024 * 1024, ErrorMessage = "must be between 16384 and 16777216 bytes.")]
    public long MaxReceiveMessageSize { get; set; } = 64 * 1024;
}
