using System.Security.Claims;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DuckChat.Bench.SendPath;

/// <summary>
/// DuckChat as it runs, in this process: its own Program (every service, option, hosted service and the start-up
/// migration), Production settings, on a fresh data folder, with no listener (nothing here speaks HTTP). EF Core's
/// command counter is added to the app's SQLite contexts.
/// </summary>
public sealed class SendPathApp(string dataDirectory, EfCommandCounter efCommands) : WebApplicationFactory<Program>
{
    /// <summary>
    /// The app's settings changed for the bench (all else as shipped): the send limit a benchmark would hit, at its
    /// validated maximum (a person may send 10,000 at once, then 1,000 a second), and no demo data.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Overrides = new Dictionary<string, string?>
    {
        ["DuckChat:Demo:Seed"] = "false",
        ["DuckChat:Chat:SendBurst"] = "10000",
        ["DuckChat:Chat:SendPerSecond"] = "1000",
        ["DuckChat:Chat:WriteBurst"] = "10000",
        ["DuckChat:Chat:WritePerSecond"] = "1000",
    };

    /// <summary>The SQLite file the app uses with these settings (its default name in the data folder); checked at start.</summary>
    public string DatabaseFile { get; } = Path.Combine(dataDirectory, "duckchat.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(
            new Dictionary<string, string?>(Overrides) { ["DuckChat:Database:DataDirectory"] = dataDirectory }));
        builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteChatDbContext>((_, options) => options.AddInterceptors(efCommands)));
    }

    /// <summary>Starts the app (migrating its database) and checks that it uses <see cref="DatabaseFile"/>.</summary>
    public void Start()
    {
        var connectionString = Services.GetRequiredService<DatabaseLocation>().ConnectionString;
        var used = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        if (used != Path.GetFullPath(DatabaseFile))
        {
            throw new InvalidOperationException($"The app uses {used}, not {DatabaseFile}: the statement counter would watch the wrong file.");
        }
    }

    /// <summary>
    /// People (accounts without passwords, as an invitation would make them), each with a live sign-in as a log-in
    /// starts one, and the principal their cookie carries: the claims Identity puts there plus the sign-in's id.
    /// </summary>
    public async Task<List<ClaimsPrincipal>> CreatePeopleAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principals = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
        var people = new List<ClaimsPrincipal>(count);
        for (var i = 1; i <= count; i++)
        {
            var user = new ApplicationUser { UserName = $"sender{i:D2}", Email = $"sender{i:D2}@example.test", CreatedAt = DateTime.UtcNow };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            var signIn = new SignIn { Id = Guid.NewGuid().ToString("N")[..SignIn.IdLength], UserId = user.Id, CreatedAt = DateTime.UtcNow, LastUsedAt = DateTime.UtcNow };
            db.SignIns.Add(signIn);
            await db.SaveChangesAsync();
            var principal = await principals.CreateAsync(user);
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SignIns.ClaimType, signIn.Id));
            people.Add(principal);
        }

        return people;
    }

    /// <summary>A group chat of everyone given (the first owns it); its id.</summary>
    public async Task<int> CreateGroupAsync(string name, IEnumerable<ClaimsPrincipal> members)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var chat = new Chat
        {
            Kind = ChatKind.Group, Name = name, CreatedAt = now,
            Members = members.Select((m, i) => new ChatMember
            {
                UserId = m.FindFirstValue(ClaimTypes.NameIdentifier)!, Role = i == 0 ? ChatRole.Owner : ChatRole.Member, JoinedAt = now,
            }).ToList(),
        };
        db.Chats.Add(chat);
        await db.SaveChangesAsync();
        return chat.Id;
    }

    /// <summary>
    /// A person's open tab: a service scope as a circuit has one, its authentication state set as the circuit's host
    /// sets it from the cookie, and the chat service a page of that circuit injects.
    /// </summary>
    public SenderTab OpenTab(ClaimsPrincipal person)
    {
        var scope = Services.CreateAsyncScope();
        var authentication = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)authentication).SetAuthenticationState(Task.FromResult(new AuthenticationState(person)));
        return new SenderTab(scope, scope.ServiceProvider.GetRequiredService<ChatService>());
    }
}

/// <summary>One person's tab (a circuit's services), the chat service it sends with and the actions it changes messages with; disposing closes it.</summary>
public sealed class SenderTab(AsyncServiceScope scope, ChatService chats) : IAsyncDisposable
{
    public ChatService Chats { get; } = chats;

    public MessageActions Actions { get; } = scope.ServiceProvider.GetRequiredService<MessageActions>();

    public DuckChat.Web.Notifications.NotificationSettings Settings { get; } = scope.ServiceProvider.GetRequiredService<DuckChat.Web.Notifications.NotificationSettings>();

    /// <summary>Any other service of the tab's circuit scope (the search bench's <c>MessageSearch</c>).</summary>
    public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
