using DuckChat.Web.Configuration;

namespace DuckChat.Web.Presence;

public static class PresenceExtensions
{
    /// <summary>Presence (who is around), its settings, and typing signals. After messaging: the relay stops before the bus's Redis sender, which sends its last word.</summary>
    public static WebApplicationBuilder AddDuckChatPresence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<PresenceOptions>("Presence");
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService<PresenceRelay>();
        services.AddScoped<PresenceView>();
        services.AddScoped<AppearOfflineSetting>();
        services.AddScoped<Chats.Typing.TypingService>();
        services.AddScoped<TabPresence>();
        services.AddScoped<TabAttention>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<TabPresence>());
        return builder;
    }
}
