using System.Diagnostics;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Playwright;

namespace DuckChat.Tests.ScaleOut;

/// <summary>
/// Presence across two DuckChat processes and one redis-server: Alice's browser on instance 0 sees Bob, whose tab is on
/// instance 1, and stops seeing him when instance 1 is killed (its heartbeat stops; the expiry is shortened here).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PresenceClusterTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(3);

    private AppCluster? _cluster;
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task APersonOnTheOtherInstance_ShowsOnlineAndAway_AndGoesOfflineSoonAfterThatInstanceIsKilled()
    {
        _cluster = await AppCluster.StartAsync(environment: new Dictionary<string, string>
        {
            ["DuckChat__Presence__Expiry"] = Expiry.ToString(),
            ["DuckChat__Presence__AwayAfter"] = "00:00:00",
        });
        var alice = await PersonAsync(0, "alice");
        await alice.OpenAsync("/dm/bob");
        var shown = alice.Locator(".chat-header .chat-presence");

        var bob = await PersonAsync(1, "bob");
        await Assertions.Expect(shown).ToHaveAttributeAsync("data-presence", "online");
        await bob.HideTabAsync();
        await Assertions.Expect(shown).ToHaveAttributeAsync("data-presence", "away");
        await bob.ShowTabAsync();
        await Assertions.Expect(shown).ToHaveAttributeAsync("data-presence", "online");

        var killed = Stopwatch.StartNew();
        await _cluster.StopInstanceAsync(1);
        await Assertions.Expect(shown).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        // A killed process says nothing: bob goes when his instance's heartbeats stop, within the expiry and a sweep (a third of it).
        Assert.InRange(killed.Elapsed, TimeSpan.Zero, Expiry + Expiry / 3 + TimeSpan.FromSeconds(3));
    }

    private async Task<IPage> PersonAsync(int instance, string userName)
    {
        var context = await browser.NewContextAsync(_cluster!.Url(instance));
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.LogInAsync(userName, DemoSeeder.Password);
        await page.WaitForInteractiveAsync();
        return page;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
