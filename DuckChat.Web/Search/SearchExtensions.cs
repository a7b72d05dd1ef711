using DuckChat.Web.Configuration;

namespace DuckChat.Web.Search;

public static class SearchExtensions
{
    public static WebApplicationBuilder AddDuckChatSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddDuckChatOptions<SearchOptions>("Search");
        builder.Services.AddScoped<MessageSearch>();
        return builder;
    }
}
