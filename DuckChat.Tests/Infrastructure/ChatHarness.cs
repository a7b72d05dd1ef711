using System.Security.Claims;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
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

    /// <summary>The chat service as <paramref name="user"/> would use it from their circuit; events go to <paramref name="bus"/> when given.</summary>
    public static ChatService ChatServiceFor(this DuckChatAppFactory app, ApplicationUser user, IMessageBus? bus = null) =>
        app.ServiceFor<ChatService>(user, bus);

    /// <summary>Any of the per-circuit chat services (GroupService, ReadService, ...) as <paramref name="user"/>'s circuit has it.</summary>
    public static T ServiceFor<T>(this DuckChatAppFactory app, ApplicationUser user, IMessageBus? bus = null, params object[] more)
    {
        app.StartServer();
        var currentUser = ActivatorUtilities.CreateInstance<CurrentUser>(app.Services, new SignedIn(user));
        object[] arguments = bus is null ? [currentUser, .. more] : [currentUser, bus, .. more];
        return ActivatorUtilities.CreateInstance<T>(app.Services, arguments);
    }

    private sealed class SignedIn(ApplicationUser user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName!),
                    new Claim(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType, user.SecurityStamp!),
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
