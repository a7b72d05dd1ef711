using DuckChat.Web.Configuration;

namespace DuckChat.Web.Push;

public static class PushExtensions
{
    public static WebApplicationBuilder AddDuckChatPush(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<PushOptions>("Push");
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushEndpoints>();
        services.AddSingleton<PushQueue>();
        services.AddScoped<PushDevices>();
        services.AddTransient<VapidAudience>();
        services.AddHttpClient(PushSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<PushEndpoints>().ConnectAsync,
                // A redirect or a proxy would take the post past the endpoint check.
                AllowAutoRedirect = false,
                UseProxy = false,
            })
            .AddHttpMessageHandler<VapidAudience>();
        services.AddSingleton<PushSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        services.AddSingleton<Notifications.PushFanOut>();
        services.AddHostedService(sp => sp.GetRequiredService<Notifications.PushFanOut>());

        return builder;
    }
}
