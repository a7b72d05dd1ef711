using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Messaging;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

/// <summary>
/// Nothing lost, nothing doubled: across cut sockets, lost circuits, and a bus that drops events (which only
/// the Seq catch-up from the database can repair).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeliveryTests(BrowserFixture browser, DroppingBusAppFactory app) : IClassFixture<DroppingBusAppFactory>
{
    [Fact]
    public async Task SocketCutBriefly_WhileTheOtherSends25_AllArriveOnceInOrder()
    {
        var (alice, bob, bobConnection, _) = await TwoPeopleInAChatAsync("cut");

        await bobConnection.CutAsync(block: true);
        var sent = Enumerable.Range(1, 25).Select(i => $"while away {i}").ToList();
        foreach (var text in sent)
        {
            await alice.SendAsync(text);
        }

        bobConnection.Restore();

        await bob.ExpectLastMessagesAsync(sent, TimeSpan.FromSeconds(45));
        Assert.Equal(25, (await bob.MessageTextsAsync()).Count);
    }

    [Fact]
    public async Task DroppedEvent_IsFetchedFromTheDatabase_OnTheNextEvent()
    {
        var (alice, bob, _, chatId) = await TwoPeopleInAChatAsync("gap");

        var droppedBefore = app.Bus.Dropped;
        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.SendAsync("lost by the bus");
        Assert.Equal(droppedBefore + 1, app.Bus.Dropped);
        await alice.SendAsync("rings again");

        await bob.ExpectLastMessagesAsync(["lost by the bus", "rings again"]);
    }

    [Fact]
    public async Task DroppedEvent_IsFetched_WhenTheTabBecomesVisible()
    {
        var (alice, bob, _, chatId) = await TwoPeopleInAChatAsync("vis");

        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.SendAsync("sent while hidden");
        Assert.Empty(await bob.MessageTextsAsync());
        await bob.EvaluateAsync("() => document.dispatchEvent(new Event('visibilitychange'))");

        await bob.ExpectLastMessagesAsync(["sent while hidden"]);
    }

    [Fact]
    public async Task DroppedEvent_IsFetched_AfterAReconnect()
    {
        var (alice, bob, bobConnection, chatId) = await TwoPeopleInAChatAsync("rec");

        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.SendAsync("sent before the reconnect");
        Assert.Empty(await bob.MessageTextsAsync());
        await bobConnection.CutAsync();

        await bob.ExpectLastMessagesAsync(["sent before the reconnect"]);
    }

    private async Task<(IPage Alice, IPage Bob, BlazorConnection BobConnection, int ChatId)> TwoPeopleInAChatAsync(string prefix)
    {
        var aliceUser = await app.CreateUserAsync($"{prefix}-alice");
        var bobUser = await app.CreateUserAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var alice = await (await browser.NewContextAsync(app)).NewPageAsync();
        var bob = await (await browser.NewContextAsync(app)).NewPageAsync();
        var bobConnection = await BlazorConnection.InstallAsync(bob);
        await alice.LogInAsync(aliceUser.UserName!);
        await bob.LogInAsync(bobUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        await bob.OpenAsync($"/chats/{chatId}");
        return (alice, bob, bobConnection, chatId);
    }
}

[Collection(BrowserCollection.Name)]
public sealed class LostCircuitTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(3);

    private readonly DuckChatAppFactory _app = DuckChatAppFactory.WithSettings(new Dictionary<string, string?>
    {
        ["DuckChat:Circuit:DisconnectedRetention"] = Retention.ToString(),
    });

    [Fact]
    public async Task CircuitLostForGood_PageRecoversByItself_AndShowsEveryMessageOnce()
    {
        var aliceUser = await _app.CreateUserAsync("lost-alice");
        var bobUser = await _app.CreateUserAsync("lost-bob");
        var chatId = (await _app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        await using var aliceContext = await browser.NewContextAsync(_app);
        await using var bobContext = await browser.NewContextAsync(_app);
        var alice = await aliceContext.NewPageAsync();
        var bob = await bobContext.NewPageAsync();
        var bobConnection = await BlazorConnection.InstallAsync(bob);
        await alice.LogInAsync(aliceUser.UserName!);
        await bob.LogInAsync(bobUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        await bob.OpenAsync($"/chats/{chatId}");
        await alice.SendAsync("before the outage");
        await bob.ExpectLastMessagesAsync(["before the outage"]);

        await bobConnection.CutAsync(block: true);
        var sent = Enumerable.Range(1, 10).Select(i => $"during the outage {i}").ToList();
        foreach (var text in sent)
        {
            await alice.SendAsync(text);
        }

        // The circuit is only gone once the server's retention period has passed: that time is the condition.
        await Task.Delay(Retention + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        bobConnection.Restore();

        await bob.ExpectLastMessagesAsync(["before the outage", .. sent], TimeSpan.FromSeconds(60));
        Assert.Equal(11, (await bob.MessageTextsAsync()).Count);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
