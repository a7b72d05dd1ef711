namespace DuckChat.Web.Configuration;

public sealed class SecurityOptions
{
    /// <summary>
    /// Origins (scheme://host[:port]) besides the app's own that may open a circuit. Browsers send the cookie on a
    /// WebSocket to us from any page, and CORS does not cover WebSockets, so the hub checks Origin itself.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
