using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DuckChat.Web.Security;

public static class SecurityExtensions
{
    public static WebApplicationBuilder AddDuckChatSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<SecurityOptions>("Security");
        builder.Services.AddSingleton<AccountThrottle>();
        builder.Services.AddSingleton<OpenCircuits>();
        builder.Services.AddScoped<CircuitLimit>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitLimit>());
        return builder;
    }

    /// <summary>Security headers and the circuit origin check, before anything can answer (or re-execute a status page).</summary>
    public static WebApplication UseDuckChatSecurity(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CircuitOriginCheck>();
        return app;
    }
}
