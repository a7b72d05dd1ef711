using Microsoft.Extensions.Configuration.Json;

namespace DuckChat.Web.Configuration;

public static class DuckChatConfiguration
{
    /// <summary>The one section every DuckChat setting lives under.</summary>
    public const string Section = "DuckChat";

    /// <summary>
    /// Makes the repository-root appsettings.json (copied next to the app by the build and by publish) the
    /// app's settings file. The default sources look in the content root, which for <c>dotnet run</c> is
    /// DuckChat.Web/, so they are replaced by the same files read from the app's own folder, at the same
    /// position: before environment variables and the command line, which therefore still win.
    /// </summary>
    public static void UseRootSettingsFile(this ConfigurationManager configuration, string environmentName)
    {
        var sources = configuration.Sources;
        var position = sources.TakeWhile(s => s is not JsonConfigurationSource { Path: "appsettings.json" }).Count();
        foreach (var json in sources.OfType<JsonConfigurationSource>()
                     .Where(s => s.Path is "appsettings.json" || s.Path == $"appsettings.{environmentName}.json").ToList())
        {
            sources.Remove(json);
        }

        var folder = AppContext.BaseDirectory;
        sources.Insert(Math.Min(position, sources.Count), JsonSource(folder, "appsettings.json"));
        sources.Insert(Math.Min(position + 1, sources.Count), JsonSource(folder, $"appsettings.{environmentName}.json"));
    }

    private static JsonConfigurationSource JsonSource(string folder, string file)
    {
        var source = new JsonConfigurationSource { Path = file, Optional = true, ReloadOnChange = false };
        source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder);
        return source;
    }
}
