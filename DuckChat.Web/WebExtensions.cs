using DuckChat.Web.Components;
using DuckChat.Web.Configuration;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace DuckChat.Web;

public static class WebExtensions
{
    public static WebApplicationBuilder AddDuckChatWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<CircuitLimitsOptions>("Circuit");
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddOptions<CircuitOptions>().Configure<IOptions<CircuitLimitsOptions>>((circuit, limits) =>
        {
            circuit.DisconnectedCircuitRetentionPeriod = limits.Value.DisconnectedRetention;
            circuit.DisconnectedCircuitMaxRetained = limits.Value.DisconnectedMaxRetained;
            circuit.JSInteropDefaultCallTimeout = limits.Value.JSInteropTimeout;
            circuit.MaxBufferedUnacknowledgedRenderBatches = limits.Value.MaxUnacknowledgedRenderBatches;
        });
        builder.Services.AddOptions<HubOptions>().Configure<IOptions<CircuitLimitsOptions>>((hub, limits) =>
            hub.MaximumReceiveMessageSize = limits.Value.MaxReceiveMessageSize);
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<Components.Layout.ThemeStyleSheets>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication UseDuckChatWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseDuckChatSecurity();
        // Page loads get the friendly page; a POST to an unknown address keeps its plain 404 (re-executed as a POST,
        // the page would refuse it for want of an antiforgery token and answer 400).
        app.UseWhen(context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorPages();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ConfigureWebSocketAcceptContext = (_, accept) =>
        {
            // Compressed, but without keeping the compressor's window between messages: that window is about a quarter
            // of a megabyte per open tab on the server, and chat messages compress well on their own.
            accept.DangerousEnableCompression = true;
            accept.DisableServerContextTakeover = true;
            return Task.CompletedTask;
        });
        return app;
    }

    /// <summary>Brings the database up to date and seeds what the configuration asks for, before serving.</summary>
    public static async Task InitializeDuckChatAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Data.DatabaseInitializer>().InitializeAsync();
    }
}
