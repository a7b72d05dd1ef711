using DuckChat.Web.Configuration;
using DuckChat.Web.Health;

namespace DuckChat.Web.Search;

public static class SearchExtensions
{
    /// <summary>Message search, the indexer that adds new messages to its index, the start-up backfill, and the readiness check that waits for the backfill.</summary>
    public static WebApplicationBuilder AddDuckChatSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<SearchOptions>("Search");
        builder.Services.AddScoped<MessageSearch>();
        builder.Services.AddSingleton<SearchIndexBackfill>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexBackfill>());
        builder.Services.AddSingleton<SearchIndexer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexer>());
        builder.Services.AddHealthChecks().AddCheck<SearchIndexHealthCheck>("search-index", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
