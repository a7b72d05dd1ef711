using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The in-process bus, or, with DuckChat:Redis:Configuration set, the same bus extended to other instances
    /// through Redis (chosen when first resolved, so every configuration source applies).
    /// </summary>
    public static WebApplicationBuilder AddDuckChatMessaging(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<RedisOptions>("Redis");
        services.AddSingleton<InProcessMessageBus>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisMessageBus>();
        services.AddSingleton<IMessageBus>(sp => sp.GetRequiredService<IOptions<RedisOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<RedisMessageBus>()
            : sp.GetRequiredService<InProcessMessageBus>());
        services.AddHostedService<RedisEventRelay>();
        return builder;
    }
}
