namespace DuckChat.Web.Admin;

public static class AdminExtensions
{
    public static WebApplicationBuilder AddDuckChatAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AdminGuard>();
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.AddScoped<ChatAdministration>();
        builder.Services.AddScoped<FileAdministration>();
        builder.Services.AddScoped<AuditLog>();
        return builder;
    }
}
