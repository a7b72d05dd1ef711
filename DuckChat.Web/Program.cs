using DuckChat.Web;
using DuckChat.Web.Accounts;
using DuckChat.Web.Admin;
using DuckChat.Web.Chats;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Diagnostics;
using DuckChat.Web.Files;
using DuckChat.Web.Health;
using DuckChat.Web.Mail;
using DuckChat.Web.Management;
using DuckChat.Web.Messaging;
using DuckChat.Web.Presence;
using DuckChat.Web.Push;
using DuckChat.Web.Search;
using DuckChat.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.UseRootSettingsFile(builder.Environment.EnvironmentName);
if (args.Contains(HealthCheckCommand.Argument))
{
    return await HealthCheckCommand.RunAsync(builder.Configuration);
}

builder.AddDuckChatData();
builder.AddDuckChatAccounts();
builder.AddDuckChatMail();
builder.AddDuckChatPush();
builder.AddDuckChatFiles();
builder.AddDuckChatMessaging();
builder.AddDuckChatChat();
builder.AddDuckChatSearch();
builder.AddDuckChatPresence();
builder.AddDuckChatAdmin();
builder.AddDuckChatSecurity();
builder.AddDuckChatManagement();
builder.AddDuckChatHealth();
builder.AddDuckChatTelemetry();
builder.AddDuckChatWeb();

var app = builder.Build();

try
{
    if (PromoteAdminCommand.UserNameFrom(args) is { } userName)
    {
        return await PromoteAdminCommand.RunAsync(app, userName);
    }

    if (args.Contains(RebuildSearchIndexCommand.Argument))
    {
        return await RebuildSearchIndexCommand.RunAsync(app);
    }

    await app.InitializeDuckChatAsync();
    app.UseDuckChatWeb();
    app.MapDuckChatFiles();
    app.MapDuckChatHealth();
    app.MapDuckChatTelemetry();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or StartupException)
{
    app.Logger.LogCritical("DuckChat cannot start: {Reason}", e.Message);
    await Console.Error.WriteLineAsync($"DuckChat cannot start: {e.Message}");
    return 1;
}

public partial class Program;
