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
        services.AddSingleton(CreateStore);
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<FileWorkQueue>();
        services.AddSingleton<FileUploads>();
        services.AddSingleton<FileWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<FileWorker>());

        return builder;
    }

    /// <summary>The store DuckChat:Files:Store names: a folder under the data folder, or an S3-compatible bucket.</summary>
    private static IFileStore CreateStore(IServiceProvider services)
    {
        var files = services.GetRequiredService<IOptions<FilesOptions>>().Value;
        return files.Store switch
        {
            FileStoreKind.S3 => new S3FileStore(files.S3, services.GetRequiredService<ILogger<S3FileStore>>()),
            _ => new DiskFileStore(Path.GetFullPath(files.Directory, services.GetRequiredService<DatabaseLocation>().DataDirectory)),
        };
    }
}
