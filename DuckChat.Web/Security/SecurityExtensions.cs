using System.Net;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DuckChat.Web.Security;

public static class SecurityExtensions
{
    public static WebApplicationBuilder AddDuckChatSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<SecurityOptions>("Security");
        builder.Services.AddDuckChatOptions<ProxyOptions>("Proxy");
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddSingleton<AccountThrottle>();
        builder.Services.AddSingleton<LogInGuard>();
        builder.Services.AddSingleton<OpenCircuits>();
        builder.Services.AddScoped<CircuitLimit>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitLimit>());
        return builder;
    }

    /// <summary>
    /// Forwarded headers from trusted proxies first (everything after sees the original scheme and host), then the
    /// security headers and the circuit origin check, before anything can answer (or re-execute a status page).
    /// </summary>
    public static WebApplication UseDuckChatSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CircuitOriginCheck>();
        return app;
    }
}
