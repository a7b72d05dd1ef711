using System.Data.Common;
using DuckChat.Web.Chats.Writing;

namespace DuckChat.Web.Search;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --rebuild-search-index</c>: makes every message's SearchText again and rebuilds the
/// search index from it, then exits (0 when done, 1 with a message when not). Uses the app's own configuration, so
/// the same database; other instances may keep serving meanwhile.
/// </summary>
public static class RebuildSearchIndexCommand
{
    public const string Argument = "--rebuild-search-index";

    public static async Task<int> RunAsync(WebApplication app)
    {
        var writer = app.Services.GetRequiredService<ChatWriter>();
        try
        {
            await app.InitializeDuckChatAsync();
            await writer.StartAsync(CancellationToken.None);
            var changed = await app.Services.GetRequiredService<SearchIndexBackfill>().RebuildAsync(CancellationToken.None);
            Console.WriteLine($"The search index is rebuilt ({changed} messages had a new search text).");
            return 0;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or StartupException)
        {
            await Console.Error.WriteLineAsync($"The search index was not rebuilt: {e.Message}");
            return 1;
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }
}
