using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Mail;

public static class MailExtensions
{
    public static WebApplicationBuilder AddDuckChatMail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<SmtpOptions>("Smtp");
        services.AddSingleton<IValidateOptions<SmtpOptions>, MailNeedsPublicUrl>();
        services.AddSingleton<SmtpMailer>();
        services.AddSingleton<MailQueue>();
        services.AddScoped<MailComposer>();
        services.AddSingleton<MailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        services.AddDuckChatOptions<MissedMailOptions>("MissedMail");
        services.AddSingleton<MissedMailSetting>();
        services.AddSingleton<MissedMailComposer>();
        services.AddSingleton<MissedMailScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<MissedMailScanner>());
        return builder;
    }
}
