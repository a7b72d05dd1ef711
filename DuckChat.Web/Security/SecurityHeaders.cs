namespace DuckChat.Web.Security;

/// <summary>
/// Headers every response carries. The Content-Security-Policy allows scripts only from this site (no inline
/// script at all: Blazor Server needs none, and the Identity pages load their validation scripts from here, not a
/// CDN), and so the push service worker (/sw.js); inline styles stay allowed because MudBlazor sets them on elements.
/// Nothing may frame DuckChat.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A response that set its own (a file's sandbox) keeps it.
            if (headers.ContentSecurityPolicy.Count == 0)
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
