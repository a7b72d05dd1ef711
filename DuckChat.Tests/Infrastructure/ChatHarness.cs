using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Infrastructure;

/// <summary>Builds the app's real services for a given signed-in user, on the app's real SQLite database.</summary>
public static class ChatHarness
{
    /// <summary>An account without a password (no hashing: fast for tests that need many people).</summary>
    public static async Task<ApplicationUser> CreatePersonAsync(this DuckChatAppFactory app, string userName)
    {
        app.StartServer();
        await using var scope = app.Services.CreateAsyncScope();
        var user = new ApplicationUser { UserName = userName, Email = $"{userName}@example.test", CreatedAt = DateTime.UtcNow };
        var result = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>Makes <paramref name="user"/> an admin (as the start-up bootstrap or --promote-admin would).</summary>
    public static async Task MakeAdminAsync(this DuckChatAppFactory app, ApplicationUser user)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.AddToRoleAsync((await users.FindByIdAsync(user.Id))!, AdminBootstrap.AdminRole);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>A new account with the Admin role.</summary>
    public static async Task<ApplicationUser> CreateAdminAsync(this DuckChatAppFactory app, string userName)
    {
        var admin = await app.CreatePersonAsync(userName);
        await app.MakeAdminAsync(admin);
        return admin;
    }

    /// <summary>The chat service as <paramref name="user"/> would use it from their circuit; events go to <paramref name="bus"/> when given.</summary>
    public static ChatService ChatServiceFor(this DuckChatAppFactory app, ApplicationUser user, IMessageBus? bus = null) =>
        app.ServiceFor<ChatService>(user, bus);

    /// <summary>
    /// Any of the app's per-circuit services (GroupService, UserAdministration, ...) as <paramref name="user"/>'s
    /// circuit has it: the app's own services it depends on are built the same way, down to CurrentUser, so every
    /// layer sees this user; everything else (database, options, clock) comes from the running app.
    /// </summary>
    public static T ServiceFor<T>(this DuckChatAppFactory app, ApplicationUser user, IMessageBus? bus = null, params object[] more)
    {
        app.StartServer();
        var scope = app.Services.CreateScope().ServiceProvider;
        var signedIn = new SignedIn(user, SignInOf(app, user));
        var built = new Dictionary<Type, object>();

        object Build(Type type)
        {
            if (built.TryGetValue(type, out var existing))
            {
                return existing;
            }

            var constructor = type.GetConstructors().Single();
            var arguments = constructor.GetParameters().Select(p =>
                more.FirstOrDefault(p.ParameterType.IsInstanceOfType)
                ?? (p.ParameterType == typeof(IMessageBus) && bus is not null ? bus
                : p.ParameterType == typeof(AuthenticationStateProvider) ? signedIn
                : DependsOnTheUser(p.ParameterType) ? Build(p.ParameterType)
                : scope.GetRequiredService(p.ParameterType))).ToArray();
            return built[type] = constructor.Invoke(arguments);
        }

        return (T)Build(typeof(T));
    }

    /// <summary>
    /// <paramref name="user"/> reads chat <paramref name="chatId"/> up to <paramref name="seq"/> as an open page does
    /// (through a <see cref="ChatWriter"/> of its own), and the position is saved when this returns.
    /// </summary>
    public static async Task ReadUpToAsync(this DuckChatAppFactory app, ApplicationUser user, int chatId, long seq, IMessageBus? bus = null)
    {
        var events = bus ?? app.Services.GetRequiredService<IMessageBus>();
        using var writer = ActivatorUtilities.CreateInstance<ChatWriter>(app.Services, events);
        await writer.StartAsync(CancellationToken.None);
        await app.ServiceFor<ReadPositions>(user, bus, writer).AdvanceAsync(chatId, seq);
        await writer.StopAsync(CancellationToken.None); // saves what it still holds, as when the server stops
    }

    private static readonly ConditionalWeakTable<DuckChatAppFactory, ConcurrentDictionary<string, string>> SignInsByApp = [];

    /// <summary><paramref name="user"/> as their cookie names them, for services that take the signed-in user directly (an upload).</summary>
    public static SignedInUser SignedInAs(this DuckChatAppFactory app, ApplicationUser user) =>
        new(user.Id, user.UserName!, user.SecurityStamp, SignInOf(app, user));

    /// <summary>Uploads <paramref name="bytes"/> into a chat as <paramref name="user"/>, as the upload endpoint does.</summary>
    public static Task<Web.Files.UploadResult> UploadAsync(this DuckChatAppFactory app, ApplicationUser user, int chatId, string name, byte[] bytes) =>
        app.Services.GetRequiredService<Web.Files.FileUploads>().UploadAsync(
            app.SignedInAs(user), chatId, name, bytes.Length, new MemoryStream(bytes), TestContext.Current.CancellationToken);

    /// <summary>One live sign-in per person and app, as a log-in would have started it.</summary>
    private static string SignInOf(DuckChatAppFactory app, ApplicationUser user) =>
        SignInsByApp.GetOrCreateValue(app).GetOrAdd(user.Id, userId =>
        {
            using var db = app.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContext();
            var now = DateTime.UtcNow;
            var id = Guid.NewGuid().ToString("N")[..SignIn.IdLength];
            db.SignIns.Add(new SignIn { Id = id, UserId = userId, CreatedAt = now, LastUsedAt = now });
            db.SaveChanges();
            return id;
        });

    /// <summary>Whether one of our services needs the signed-in user, directly or through another of ours (singletons never do).</summary>
    private static bool DependsOnTheUser(Type type) =>
        type == typeof(AuthenticationStateProvider)
        || type.Assembly == typeof(CurrentUser).Assembly && type.IsClass
            && type.GetConstructors().SingleOrDefault()?.GetParameters().Any(p => DependsOnTheUser(p.ParameterType)) == true;

    private sealed class SignedIn(ApplicationUser user, string signInId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName!),
                    new Claim(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType, user.SecurityStamp!),
                    new Claim(SignIns.ClaimType, signInId),
                ], "Test"))));
    }
}

/// <summary>A bus that records every publish (and passes nothing on).</summary>
public sealed class RecordingBus : IMessageBus
{
    private readonly List<(string Topic, BusEvent Event)> _published = [];

    public IReadOnlyList<(string Topic, BusEvent Event)> Published
    {
        get
        {
            lock (_published)
            {
                return _published.ToList();
            }
        }
    }

    public void Publish(string topic, BusEvent busEvent)
    {
        lock (_published)
        {
            _published.Add((topic, busEvent));
        }
    }

    public IDisposable Subscribe(string topic, Func<BusEvent, Task> handler) => throw new NotSupportedException();
}
