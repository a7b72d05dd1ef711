using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files.Images;
using DuckChat.Web.Files.Storage;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Files;

public static class FilesExtensions
{
    public static WebApplicationBuilder AddDuckChatFiles(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<FilesOptions>("Files");
        services.AddSingleton<IFileStore>(sp => new DiskFileStore(
            Path.GetFullPath(sp.GetRequiredService<IOptions<FilesOptions>>().Value.Directory, sp.GetRequiredService<DatabaseLocation>().DataDirectory)));
        services.AddSingleton<ImageProcessor>();

        return builder;
    }
}
