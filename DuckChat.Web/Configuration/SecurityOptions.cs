using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public sealed class SecurityOptions
{
    /// <summary>
    /// Origins (scheme://host[:port]) besides the app's own that may open a circuit. Browsers send the cookie on a
    /// WebSocket to us from any page, and CORS does not cover WebSockets, so the hub checks Origin itself.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Log-in attempts a minute from one address (an office behind one address shares it).</summary>
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000.")]
    public int LogInPerMinutePerAddress { get; set; } = 60;

    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000.")]
    public int RegisterPerHourPerAddress { get; set; } = 30;

    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000.")]
    public int ForgotPasswordPerHourPerAddress { get; set; } = 30;

    /// <summary>Open tabs (circuits) one person may have at once; the one over it is told so.</summary>
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000.")]
    public int MaxCircuitsPerUser { get; set; } = 20;

    /// <summary>Circuit connections from one client address (an IPv6 /64); 0, the default, for no limit, since an office shares one address.</summary>
    [Range(0, 1_000_000, ErrorMessage = "must be between 0 (no limit) and 1000000.")]
    public int MaxCircuitsPerAddress { get; set; }
}
