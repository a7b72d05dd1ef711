using DuckChat.Web.Configuration;

namespace DuckChat.Web.Backup;

public static class BackupExtensions
{
    /// <summary>Backups from the command line and the admin area, and the restore.</summary>
    public static WebApplicationBuilder AddDuckChatBackup(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<BackupOptions>("Backup");
        builder.Services.AddSingleton<BackupWriter>();
        builder.Services.AddSingleton<BackupRestorer>();
        builder.Services.AddScoped<BackupAdministration>();
        return builder;
    }
}
