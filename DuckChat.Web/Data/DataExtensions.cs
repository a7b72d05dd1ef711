using DuckChat.Web.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Data;

public static class DataExtensions
{
    public const string ConnectionStringName = "DuckChat";

    /// <summary>
    /// Registers <see cref="IDbContextFactory{ChatDbContext}"/> (services open one short-lived context per
    /// operation) and a scoped <see cref="ChatDbContext"/> for Identity's stores. The provider is chosen from
    /// <see cref="DatabaseOptions"/> when first resolved, so every configuration source applies. Contexts are pooled:
    /// a send opens several, and setting up a fresh one's services was a tenth of the server's time under load (M2).
    /// </summary>
    public static WebApplicationBuilder AddDuckChatData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<DatabaseOptions>("Database");
        services.AddSingleton<DatabaseLocation>();

        services.AddPooledDbContextFactory<SqliteChatDbContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<DatabaseLocation>().ConnectionString,
                    sqlite => sqlite.CommandTimeout(CommandTimeoutSeconds(sp)))
                .AddInterceptors(new SqliteConnectionSettings(
                    sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.CommandTimeout,
                    sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Synchronous)));
        services.AddPooledDbContextFactory<SqlServerChatDbContext>((sp, options) =>
            options.UseSqlServer(sp.GetRequiredService<DatabaseLocation>().ConnectionString,
                sql => sql.EnableRetryOnFailure().CommandTimeout(CommandTimeoutSeconds(sp))));

        services.AddSingleton<IDbContextFactory<ChatDbContext>>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer
                ? new ChatDbContextFactory<SqlServerChatDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerChatDbContext>>())
                : new ChatDbContextFactory<SqliteChatDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteChatDbContext>>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContext());

        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoSeeder>();
        return builder;
    }

    private static int CommandTimeoutSeconds(IServiceProvider services) =>
        (int)Math.Ceiling(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.CommandTimeout.TotalSeconds);

    private sealed class ChatDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ChatDbContext>
        where TContext : ChatDbContext
    {
        public ChatDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<ChatDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Where the data lives: the data folder (SQLite file, keys) and the connection string.</summary>
public sealed class DatabaseLocation
{
    public DatabaseLocation(IOptions<DatabaseOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        var database = options.Value;
        DataDirectory = Path.GetFullPath(database.DataDirectory, environment.ContentRootPath);
        var configured = database.ConnectionString is { Length: > 0 } explicitString
            ? explicitString
            : configuration.GetConnectionString(DataExtensions.ConnectionStringName);

        if (database.Provider == DatabaseProvider.SqlServer)
        {
            ConnectionString = configured is { Length: > 0 }
                ? configured
                : throw new InvalidOperationException(
                    "DuckChat:Database:Provider is SqlServer, but no connection string is set: set DuckChat:Database:ConnectionString or ConnectionStrings:DuckChat.");
        }
        else
        {
            Directory.CreateDirectory(DataDirectory);
            ConnectionString = configured is { Length: > 0 }
                ? configured
                : $"Data Source={Path.Combine(DataDirectory, "duckchat.db")}";
        }
    }

    public string DataDirectory { get; }
    public string ConnectionString { get; }
}
