using DuckChat.Web.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Management;

public static class ManagementExtensions
{
    /// <summary>The management listener (<c>DuckChat:Management:Urls</c>): where operators' endpoints answer when it is set.</summary>
    public static WebApplicationBuilder AddDuckChatManagement(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<ManagementOptions>("Management");
        builder.Services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementPortsAreTheirOwn>();
        builder.Services.AddSingleton<ManagementListener>();
        builder.Services.AddSingleton<IStartupFilter>(services => services.GetRequiredService<ManagementListener>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ManagementEndpointPolicy>());
        return builder;
    }

    /// <summary>
    /// An endpoint for operators, such as health: served only on the management listener when one is set (the
    /// public port answers 404), and on the public port like any other endpoint when none is.
    /// </summary>
    public static TBuilder RequireManagementListener<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpointMetadata.Instance);
}
