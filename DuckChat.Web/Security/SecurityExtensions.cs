using System.Net;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DuckChat.Web.Security;

public static class SecurityExtensions
{
    public static WebApplicationBuilder AddDuckChatSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<SecurityOptions>("Security");
        builder.Services.AddDuckChatOptions<ProxyOptions>("Proxy");
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>, IOptions<SiteOptions>, IConfiguration>((forwarded, proxies, site, configuration) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Host filtering (AllowedHosts) runs before forwarded headers are applied, so a forwarded host is checked
            // here against the same list, plus the public address's host.
            forwarded.AllowedHosts = [.. AllowedHosts(configuration, site.Value)];
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        // Browsers remember for a year to come back over HTTPS only (sent on HTTPS responses; never for localhost).
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddSingleton<AccountThrottle>();
        builder.Services.AddSingleton<LogInGuard>();
        builder.Services.AddSingleton<OpenCircuits>();
        builder.Services.AddSingleton<CircuitConnectionFilter>();
        // Every hub's filter; Blazor's circuit hub is the only hub.
        builder.Services.Configure<HubOptions>(hub => hub.AddFilter<CircuitConnectionFilter>());
        builder.Services.AddScoped<CircuitLimit>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitLimit>());
        return builder;
    }

    private static IEnumerable<string> AllowedHosts(IConfiguration configuration, SiteOptions site)
    {
        var configured = (configuration["AllowedHosts"] ?? "*").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (site.PublicBaseUri is { } publicUrl)
        {
            configured = [.. configured.Where(host => host != "*"), publicUrl.Host];
        }

        return configured.Contains("*") ? [] : configured.Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Forwarded headers from trusted proxies first (everything after sees the original scheme and host), then the
    /// security headers and the circuit origin check, before anything can answer (or re-execute a status page).
    /// </summary>
    public static WebApplication UseDuckChatSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseHsts();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CircuitOriginCheck>();
        return app;
    }
}
