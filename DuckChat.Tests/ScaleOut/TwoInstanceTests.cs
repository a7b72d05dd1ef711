using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Playwright;

namespace DuckChat.Tests.ScaleOut;

/// <summary>
/// Two DuckChat processes on one SQLite file and one redis-server: Alice's browser on instance 0, Bob's on
/// instance 1. Each test has its own cluster (they stop parts of it).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoInstanceTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppCluster? _cluster;

    private AppCluster Cluster => _cluster!;

    [Fact]
    public async Task MessagesFlowBothWays_Live_BetweenPeopleOnDifferentInstances()
    {
        _cluster = await AppCluster.StartAsync();
        var alice = await OpenDirectChatAsync(0, "alice", "bob");
        var bob = await OpenDirectChatAsync(1, "bob", "alice");

        await alice.SendAsync("hello from instance 0");
        await bob.ExpectLastMessagesAsync(["hello from instance 0"]);
        await bob.SendAsync("hello back from instance 1");
        await alice.ExpectLastMessagesAsync(["hello from instance 0", "hello back from instance 1"]);

        await bob.ReactAsync("hello from instance 0", "thumbs up");
        await alice.ExpectReactionsAsync("hello from instance 0", "👍️ 1");
        await alice.EditAsync("hello from instance 0", "hello, edited on instance 0");
        await bob.ExpectLastMessagesAsync(["hello, edited on instance 0", "hello back from instance 1"]);
        await bob.ExpectReactionsAsync("hello, edited on instance 0", "👍️ 1*");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignInCookieFromOneInstance_WorksOnTheOther_ExactlyWhenTheKeyRingIsInRedis(bool withRedis)
    {
        _cluster = await AppCluster.StartAsync(withRedis: withRedis);
        var context = await browser.NewContextAsync(Cluster.Url(0));
        var page = await context.NewPageAsync();
        await page.LogInAsync("alice", DemoSeeder.Password);
        await page.WaitForInteractiveAsync();

        // Cookies belong to the host, not the port: this browser sends instance 0's cookie to instance 1.
        await page.GotoAsync($"{Cluster.Url(1)}/");

        if (withRedis)
        {
            Assert.Equal($"{Cluster.Url(1)}/", page.Url);
            await page.WaitForInteractiveAsync();
        }
        else
        {
            Assert.StartsWith($"{Cluster.Url(1)}/Identity/Account/Login", page.Url);
        }
    }

    [Fact]
    public async Task RedisStopped_MessagesAreSavedAndShownToTheSender_TheOtherInstanceCatchesUpOnceWhenItReturns()
    {
        _cluster = await AppCluster.StartAsync();
        var alice = await OpenDirectChatAsync(0, "alice", "bob");
        var bob = await OpenDirectChatAsync(1, "bob", "alice");
        await alice.SendAsync("while Redis is up");
        await bob.ExpectLastMessagesAsync(["while Redis is up"]);

        Cluster.Redis!.Stop();
        await Eventually.TrueAsync(async () => await Cluster.ReadinessAsync(0) == "Degraded" && await Cluster.ReadinessAsync(1) == "Degraded",
            because: "both instances to report Degraded");
        string[] sent = ["r1", "r2", "r3", "r4", "r5"];
        foreach (var text in sent)
        {
            await alice.SendAsync(text);
        }

        // Changes made meanwhile come too: an edit and a reaction, to a message bob already had.
        await alice.EditAsync("while Redis is up", "edited while Redis was down");
        await alice.ReactAsync("edited while Redis was down", "red heart");
        await alice.ExpectReactionsAsync("edited while Redis was down", "❤️ 1*");

        await Cluster.Redis.StartAsync();
        await bob.ExpectLastMessagesAsync(["edited while Redis was down", .. sent], TimeSpan.FromSeconds(45));
        await bob.ExpectReactionsAsync("edited while Redis was down", "❤️ 1");
        await Eventually.TrueAsync(async () => await Cluster.ReadinessAsync(1) == "Healthy", because: "readiness to recover");
        await alice.SendAsync("after Redis returned");
        await bob.ExpectLastMessagesAsync(["edited while Redis was down", .. sent, "after Redis returned"]);
    }

    [Fact]
    public async Task InstanceStoppedUnderAnOpenPage_ThePageComesBackWhenItReturns_WithEveryMessageOnce()
    {
        _cluster = await AppCluster.StartAsync();
        var alice = await OpenDirectChatAsync(0, "alice", "bob");
        var bob = await OpenDirectChatAsync(1, "bob", "alice");
        await alice.SendAsync("before the stop");
        await bob.ExpectLastMessagesAsync(["before the stop"]);
        await bob.MarkDocumentAsync();

        await Cluster.StopInstanceAsync(1);
        await alice.SendAsync("while instance 1 is down");
        await Cluster.StartInstanceAsync(1);

        await bob.WaitForReloadAsync();
        await bob.ExpectLastMessagesAsync(["before the stop", "while instance 1 is down"]);
        await alice.SendAsync("after the restart");
        await bob.ExpectLastMessagesAsync(["before the stop", "while instance 1 is down", "after the restart"]);
    }

    private async Task<IPage> OpenDirectChatAsync(int instance, string me, string other)
    {
        var page = await (await browser.NewContextAsync(Cluster.Url(instance))).NewPageAsync();
        await page.LogInAsync(me, DemoSeeder.Password);
        await page.WaitForInteractiveAsync();
        await page.OpenAsync($"/dm/{other}");
        return page;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
