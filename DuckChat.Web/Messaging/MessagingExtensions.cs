namespace DuckChat.Web.Messaging;

public static class MessagingExtensions
{
    public static WebApplicationBuilder AddDuckChatMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IMessageBus, InProcessMessageBus>();
        return builder;
    }
}
