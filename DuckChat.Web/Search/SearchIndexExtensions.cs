using DuckChat.Web.Health;

namespace DuckChat.Web.Search;

public static class SearchIndexExtensions
{
    /// <summary>The start-up backfill of the search index and its readiness check.</summary>
    public static WebApplicationBuilder AddDuckChatSearchIndex(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchIndexBackfill>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexBackfill>());
        builder.Services.AddHealthChecks().AddCheck<SearchIndexHealthCheck>("search-index", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
