using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>
/// Refuses a Blazor circuit connection (negotiate, WebSocket, long polling under /_blazor) whose Origin is
/// neither the app's own (the request's host, or DuckChat:PublicUrl) nor listed in DuckChat:Security:AllowedOrigins: another site's page cannot drive a
/// circuit with the visitor's cookie (cross-site WebSocket hijacking). File uploads (a POST to /files, made by the
/// composer's script) are held to the same rule. Requests without an Origin come from outside a browser and carry no
/// victim's cookie.
/// </summary>
public sealed class CircuitOriginCheck(RequestDelegate next, IOptionsMonitor<SecurityOptions> options, IOptions<SiteOptions> site, ILogger<CircuitOriginCheck> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var guarded = context.Request.Path.StartsWithSegments("/_blazor")
            || (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(Files.FileUrls.Prefix));
        if (!guarded || !context.Request.Headers.TryGetValue("Origin", out var origins))
        {
            return next(context);
        }

        var origin = origins.ToString();
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        if (string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || site.Value.PublicBaseUri is { } publicUrl && string.Equals(origin, publicUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || options.CurrentValue.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
        {
            return next(context);
        }

        logger.LogWarning("Refused a request to {Path} from origin {Origin}", context.Request.Path.Value, origin);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
