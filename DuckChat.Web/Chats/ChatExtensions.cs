using DuckChat.Web.Configuration;

namespace DuckChat.Web.Chats;

public static class ChatExtensions
{
    public static WebApplicationBuilder AddDuckChatChat(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<ChatOptions>("Chat");
        builder.Services.AddSingleton<PersonRateLimits>();
        builder.Services.AddSingleton<Formatting.MessageFormatter>();
        builder.Services.AddSingleton<EmojiCatalog>();
        builder.Services.AddScoped<ChatService>();
        builder.Services.AddScoped<GroupService>();
        builder.Services.AddScoped<Reading.ReadPositions>();
        builder.Services.AddScoped<MessageActions>();
        builder.Services.AddScoped<Reading.UnreadState>();
        builder.Services.AddScoped<Notifications.NotificationSettings>();
        builder.Services.AddScoped<Mentions.MentionList>();
        builder.Services.AddSingleton<Writing.ChatWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Writing.ChatWriter>());
        builder.Services.AddScoped<ConnectionEvents>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<ConnectionEvents>());
        return builder;
    }
}
