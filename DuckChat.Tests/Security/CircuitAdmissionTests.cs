using System.Net;
using DuckChat.Bench.Circuits;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DuckChat.Tests.Security;

public sealed class TabCappedAppFactory() : DroppingBusAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Security:MaxCircuitsPerUser"] = "2",
});

/// <summary>Circuits are only for signed-in people, within their tab cap: anything else starts none, or is ended before it holds anything.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitAdmissionTests(BrowserFixture browser, TabCappedAppFactory app) : IClassFixture<TabCappedAppFactory>
{
    private const string ServerMarker = "<!--Blazor:{\"type\":\"server\"";
    private static readonly BrowserProfile Profile = new("UTC", 1280, 720, Attentive: true);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>A chat page: the circuit client counts a tab as open once its composer is ready.</summary>
    private const string ChatPath = "/dm/cap-friend";

    [Fact]
    public async Task OneTabTooMany_IsToldWhy_AndStartsNoCircuit()
    {
        var user = await app.CreateUserAsync("cap-tabs");
        await using var context = await browser.NewContextAsync(app);
        var first = await context.NewPageAsync();
        await first.LogInAsync("cap-tabs");
        await first.WaitForInteractiveAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitForInteractiveAsync();

        var third = await context.NewPageAsync();
        var answer = await third.GotoAsync("/");

        await Assertions.Expect(third.GetByRole(AriaRole.Heading, new() { Name = "Too many open tabs" })).ToBeVisibleAsync();
        Assert.DoesNotContain(ServerMarker, await answer!.TextAsync());
        Assert.Equal(2, app.Services.GetRequiredService<OpenCircuits>().ByUser.Count(user.Id));
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Hello, cap-tabs" })).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Hello, cap-tabs" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task CircuitPastTheCap_IsEnded_LeavingNoSubscriptionBehind()
    {
        // An app of its own: no other test's tabs come and go while the subscriptions are counted.
        await using var own = new TabCappedAppFactory();
        var user = await own.CreateUserAsync("cap-sneaky");
        await own.CreateUserAsync("cap-friend");
        using var account = await SignedInAccount.SignInAsync(own.BaseAddress, "cap-sneaky", DuckChatAppFactory.Password, TestContext.Current.CancellationToken);
        await using var first = await BlazorCircuit.OpenAsync(account, ChatPath, Profile, Timeout, TestContext.Current.CancellationToken);
        var loadedUnderTheCap = await PrerenderedPage.LoadAsync(account, ChatPath, TestContext.Current.CancellationToken);
        await using var second = await BlazorCircuit.OpenAsync(account, ChatPath, Profile, Timeout, TestContext.Current.CancellationToken);
        var subscriptions = own.Bus.Subscriptions;

        await Assert.ThrowsAnyAsync<Exception>(() => BlazorCircuit.StartAsync(account, loadedUnderTheCap, Profile, Timeout, TestContext.Current.CancellationToken));

        await Eventually.TrueAsync(() => Task.FromResult(own.Services.GetRequiredService<OpenCircuits>().ByUser.Count(user.Id) == 2),
            because: "the refused circuit to be gone");
        Assert.Equal(subscriptions, own.Bus.Subscriptions);
        Assert.Null(first.Failure);
        Assert.Null(second.Failure);
    }

    [Fact]
    public async Task CircuitWithoutASignedInPerson_IsRefused()
    {
        await using var own = new TabCappedAppFactory();
        await own.CreateUserAsync("cap-gone");
        await own.CreateUserAsync("cap-friend");
        // The app's own subscriptions (presence between instances) are there before any tab.
        var appSubscriptions = own.Bus.Subscriptions;
        using var account = await SignedInAccount.SignInAsync(own.BaseAddress, "cap-gone", DuckChatAppFactory.Password, TestContext.Current.CancellationToken);
        var page = await PrerenderedPage.LoadAsync(account, ChatPath, TestContext.Current.CancellationToken);
        foreach (System.Net.Cookie cookie in account.Cookies.GetAllCookies())
        {
            cookie.Expired = true;
        }

        await Assert.ThrowsAnyAsync<Exception>(() => BlazorCircuit.StartAsync(account, page, Profile, Timeout, TestContext.Current.CancellationToken));

        Assert.Equal(appSubscriptions, own.Bus.Subscriptions);
    }

    [Theory]
    [InlineData("/not-found")]
    [InlineData("/no-such-page")]
    [InlineData("/Identity/Account/Login")]
    public async Task PagesForPeopleNotSignedIn_RenderStatically(string path)
    {
        await app.CreateUserAsync($"cap-static{path.Length}");
        using var anonymous = app.CreateHttpClient();
        using var signedIn = await app.SignedInClientAsync($"cap-static{path.Length}");

        using var forAnyone = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);
        using var forMember = await signedIn.GetAsync("/not-found", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(ServerMarker, await forAnyone.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(ServerMarker, await forMember.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddressCap_WhenSet_RefusesTheConnectionOverIt()
    {
        await using var capped = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
        {
            ["DuckChat:Security:MaxCircuitsPerAddress"] = "1",
        });
        await capped.CreateUserAsync("addr-one");
        await capped.CreateUserAsync("addr-two");
        await capped.CreateUserAsync("cap-friend");
        using var one = await SignedInAccount.SignInAsync(capped.BaseAddress, "addr-one", DuckChatAppFactory.Password, TestContext.Current.CancellationToken);
        using var two = await SignedInAccount.SignInAsync(capped.BaseAddress, "addr-two", DuckChatAppFactory.Password, TestContext.Current.CancellationToken);
        var first = await BlazorCircuit.OpenAsync(one, ChatPath, Profile, Timeout, TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<Exception>(() => BlazorCircuit.OpenAsync(two, ChatPath, Profile, Timeout, TestContext.Current.CancellationToken));
        await first.DisposeAsync();

        await Eventually.TrueAsync(() => Task.FromResult(capped.Services.GetRequiredService<OpenCircuits>().ByAddress.Count("127.0.0.1") == 0),
            because: "the first connection to close");
        await using var second = await BlazorCircuit.OpenAsync(two, ChatPath, Profile, Timeout, TestContext.Current.CancellationToken);
        Assert.Null(second.Failure);
    }
}
