using DuckChat.Web.Configuration;

namespace DuckChat.Web.Chat;

public static class ChatExtensions
{
    public static WebApplicationBuilder AddDuckChatChat(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<ChatOptions>("Chat");
        return builder;
    }
}
