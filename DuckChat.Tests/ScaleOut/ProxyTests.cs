using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Playwright;

namespace DuckChat.Tests.ScaleOut;

/// <summary>The repository's nginx template, run by Debian's nginx over TLS, in front of two instances.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProxyTests(BrowserFixture browser) : IAsyncLifetime
{
    // Set by StartAsync at the start of each test; the disposal below copes with a test that failed before.
    private AppCluster _cluster = null!;
    private NginxProxy _proxy = null!;

    [Fact]
    public async Task OtherHostNames_AreClosedUnanswered_AndTheAppOnlyEverHearsOurs()
    {
        await StartAsync();
        using var http = NginxProxy.CreateHttpClient();

        using var forgedHost = new HttpRequestMessage(HttpMethod.Get, $"{_proxy.BaseUrl}/health/live") { Headers = { Host = "evil.example" } };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(forgedHost, TestContext.Current.CancellationToken));

        // A forged X-Forwarded-Host is replaced by our name: a circuit from the forged origin is refused.
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"{_proxy.BaseUrl}/_blazor/negotiate?negotiateVersion=1")
        {
            Headers = { { "Origin", "https://evil.example" }, { "X-Forwarded-Host", "evil.example" } },
        };
        using var refused = await http.SendAsync(negotiate, TestContext.Current.CancellationToken);
        using var plain = await http.GetAsync($"{_proxy.BaseUrl}/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(plain.IsSuccessStatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(plain.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task EightBrowsers_SpreadOverBothInstances_EachStaysOnItsOwn_AndChatWorksAcrossThem()
    {
        await StartAsync();

        // Four tabs each for Alice and Bob, each its own browser profile (so its own route cookie).
        var pages = new List<IPage>();
        foreach (var (me, other) in Enumerable.Repeat(("alice", "bob"), 4).Concat(Enumerable.Repeat(("bob", "alice"), 4)))
        {
            var context = await browser.NewContextAsync(_proxy.BaseUrl, new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
            var page = await context.NewPageAsync();
            await page.LogInAsync(me, DemoSeeder.Password);
            await page.WaitForInteractiveAsync();
            await page.OpenAsync($"/dm/{other}");
            pages.Add(page);
        }

        await pages[0].SendAsync("alice through the proxy");
        await pages[^1].SendAsync("bob through the proxy");
        foreach (var page in pages)
        {
            await page.ExpectLastMessagesAsync(["alice through the proxy", "bob through the proxy"]);
        }

        var routes = await BrowserRoutesAsync(pages);
        Assert.Equal(pages.Count, routes.Count);
        var requests = await _proxy.RoutedRequestsAsync();
        foreach (var route in routes)
        {
            // Every request of this browser (page loads, scripts, the circuit's negotiate and socket) went to one instance.
            Assert.Single(requests.Where(r => r.Route == route).Select(r => r.Upstream).Distinct());
        }

        // Random routes could put all eight on one instance (1 in 128); more first visits without a cookie make
        // the spread certain without weakening the stickiness check above.
        using var http = NginxProxy.CreateHttpClient();
        for (var i = 0; i < 24; i++)
        {
            (await http.GetAsync($"{_proxy.BaseUrl}/health/live", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        var upstreams = (await _proxy.RoutedRequestsAsync()).Select(r => r.Upstream).Distinct().Order();
        Assert.Equal(new[] { _cluster.Address(0), _cluster.Address(1) }.Order(), upstreams);
    }

    [Fact]
    public async Task InstanceHoldingAPageDies_ThePageComesBackThroughTheProxyOnTheOther_SignedIn_WithEveryMessageOnce()
    {
        await StartAsync();
        var bob = await (await browser.NewContextAsync(_proxy.BaseUrl, new BrowserNewContextOptions { IgnoreHTTPSErrors = true })).NewPageAsync();
        await bob.LogInAsync("bob", DemoSeeder.Password);
        await bob.OpenAsync("/dm/alice");
        var route = (await BrowserRoutesAsync([bob])).Single();
        var bobsInstance = (await _proxy.RoutedRequestsAsync()).First(r => r.Route == route).Upstream == _cluster.Address(0) ? 0 : 1;
        var survivor = 1 - bobsInstance;
        var alice = await (await browser.NewContextAsync(_cluster.Url(survivor))).NewPageAsync();
        await alice.LogInAsync("alice", DemoSeeder.Password);
        await alice.OpenAsync("/dm/bob");
        await alice.SendAsync("before the crash");
        await bob.ExpectLastMessagesAsync(["before the crash"]);
        await bob.MarkDocumentAsync();

        await _cluster.StopInstanceAsync(bobsInstance);
        await alice.SendAsync("while his instance is gone");

        await bob.WaitForReloadAsync();
        Assert.EndsWith("/dm/alice", bob.Url); // still signed in: not sent to the log-in page
        await bob.ExpectLastMessagesAsync(["before the crash", "while his instance is gone"]);
        await alice.SendAsync("on the survivor");
        await bob.ExpectLastMessagesAsync(["before the crash", "while his instance is gone", "on the survivor"]);
        Assert.Equal(_cluster.Address(survivor), (await _proxy.RoutedRequestsAsync()).Last(r => r.Route == route).Upstream);
    }

    /// <summary>
    /// Each page's route cookie, which nginx issued on its first response (HttpOnly, so read from the context). The
    /// app's sign-in cookie is Secure too: behind the TLS proxy the app knows the request was HTTPS.
    /// </summary>
    private static async Task<HashSet<string>> BrowserRoutesAsync(IEnumerable<IPage> pages)
    {
        var routes = new HashSet<string>();
        foreach (var page in pages)
        {
            var cookies = await page.Context.CookiesAsync();
            var route = cookies.Single(c => c.Name == "duckchat_route");
            Assert.True(route.Secure && route.HttpOnly);
            Assert.True(cookies.Single(c => c.Name == ".AspNetCore.Identity.Application").Secure);
            routes.Add(route.Value);
        }

        return routes;
    }

    private async Task StartAsync()
    {
        var port = NginxProxy.ChoosePort();
        _cluster = await AppCluster.StartAsync(publicUrl: NginxProxy.BaseUrlFor(port));
        _proxy = await NginxProxy.StartAsync([_cluster.Address(0), _cluster.Address(1)], port);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
