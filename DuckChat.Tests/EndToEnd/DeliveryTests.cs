using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Messaging;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

        // Headless Chromium calls every page visible, so hiding the tab is emulated.
        await bob.EvaluateAsync("""
            () => {
                Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
                document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.SendAsync("sent while hidden");
        Assert.Empty(await bob.MessageTextsAsync());
        await bob.EvaluateAsync("() => { delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange')); }");

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

    [Fact]
    public async Task DroppedEditAndReaction_AreCaughtUp_AfterAReconnect_AsAFreshLoadShowsThem()
    {
        var (alice, bob, bobConnection, chatId) = await TwoPeopleInAChatAsync("chg");
        await alice.SendAsync("before the change");
        await bob.ExpectLastMessagesAsync(["before the change"]);

        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.ReactAsync("before the change", "party popper");
        await alice.ExpectReactionsAsync("before the change", "🎉 1*");
        app.Bus.DropNext(Topics.Chat(chatId));
        await alice.EditAsync("before the change", "after the change");
        await alice.ExpectLastMessagesAsync(["after the change"]);
        Assert.Equal(["before the change"], await bob.MessageTextsAsync());
        Assert.Empty(await bob.ReactionsOfAsync("before the change"));
        await bobConnection.CutAsync();

        await bob.ExpectLastMessagesAsync(["after the change"]);
        await bob.ExpectReactionsAsync("after the change", "🎉 1");
    }

    private Task<TwoInAChat> TwoPeopleInAChatAsync(string prefix) => browser.TwoPeopleInAChatAsync(app, prefix);
}

[Collection(BrowserCollection.Name)]
public sealed class LostCircuitTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(3);

    private readonly List<IBrowserContext> _contexts = [];
    private DuckChatAppFactory? _app;

    private DuckChatAppFactory App => _app ??= new RetentionAppFactory(keepsLostCircuits: true);

    [Fact]
    public async Task CircuitLostForGood_PageRecoversByItself_AndShowsEveryMessageOnce()
    {
        var (alice, bob, bobConnection, _) = await AliceAndBobAsync("lost", controlAlice: false);

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

    /// <summary>
    /// A message sent into a socket that died without closing is kept by the tab; the circuit is then lost for good.
    /// A server that kept the lost circuit's state gives the page a new circuit in place (.NET 10 resumes it);
    /// one that kept nothing (restarted, or another instance) makes the page reload itself. Either way the new
    /// page sends the kept text again, with its id, and it arrives once.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TypedIntoADeadSocket_IsKept_AndArrivesOnce_AfterTheCircuitIsLostForGood(bool serverKeepsLostCircuits)
    {
        _app = new RetentionAppFactory(serverKeepsLostCircuits);
        var (alice, bob, aliceConnection, aliceId) = await AliceAndBobAsync("dead", controlAlice: true);
        const string text = "typed into a dead socket";

        await TypeIntoADeadSocketAsync(alice, aliceConnection, text);
        await aliceConnection.CutAsync(block: true);
        // While the page cannot reach its circuit, the reconnect dialog says the text is kept.
        await Assertions.Expect(alice.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Status))
            .ToHaveTextAsync(new Regex("^1 message is not sent yet"));
        var open = App.Services.GetRequiredService<OpenCircuits>();
        await Eventually.TrueAsync(() => Task.FromResult(open.ByUser.Count(aliceId) == 0), Retention * 10, "the server to drop the circuit");
        aliceConnection.Restore();
        if (!serverKeepsLostCircuits)
        {
            await alice.WaitForReloadAsync();
        }

        await alice.ExpectLastMessagesAsync(["before the outage", text], TimeSpan.FromSeconds(60));
        await bob.ExpectLastMessagesAsync(["before the outage", text]);
        await ExpectNothingKeptAsync(alice);
        await ExpectOneRowAsync(text);
    }

    [Fact]
    public async Task TypedIntoADeadSocket_ArrivesOnce_WhenTheSameCircuitReconnects()
    {
        var (alice, bob, aliceConnection, _) = await AliceAndBobAsync("stall", controlAlice: true);
        const string text = "lost on the way, kept in the tab";

        await TypeIntoADeadSocketAsync(alice, aliceConnection, text);
        await aliceConnection.CutAsync(); // Blazor reconnects at once, well within the retention

        await alice.ExpectLastMessagesAsync(["before the outage", text]);
        await bob.ExpectLastMessagesAsync(["before the outage", text]);
        Assert.True(await alice.EvaluateAsync<bool>("() => window.__duckChatMarked === true"), "the page reloaded");
        await ExpectNothingKeptAsync(alice);
        await ExpectOneRowAsync(text);
    }

    /// <summary>
    /// The socket dies without closing (nothing tells Blazor), then the person sends: the text leaves the box and
    /// is kept by the tab. The page is marked, to tell a reload later.
    /// </summary>
    private static async Task TypeIntoADeadSocketAsync(IPage page, BlazorConnection connection, string text)
    {
        connection.Stall();
        await page.MessageBox().FillAsync(text);
        await page.MessageBox().PressAsync("Enter");
        await Assertions.Expect(page.MessageBox()).ToHaveValueAsync("");
        Assert.Equal([text], await page.KeptTextsAsync());
        await page.MarkDocumentAsync();
    }

    private static async Task ExpectNothingKeptAsync(IPage page)
    {
        await Assertions.Expect(page.PendingSends()).ToHaveCountAsync(0);
        await Eventually.TrueAsync(async () => (await page.KeptTextsAsync()).Length == 0, because: "the tab to stop keeping confirmed sends");
    }

    private async Task ExpectOneRowAsync(string body)
    {
        await using var db = await App.CreateDbContextAsync();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Body == body, TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Alice and Bob in a chat, both pages showing a first message from Alice; the test controls the connection of
    /// Alice's page (<paramref name="controlAlice"/>) or Bob's.
    /// </summary>
    private async Task<(IPage Alice, IPage Bob, BlazorConnection Connection, string AliceId)> AliceAndBobAsync(string prefix, bool controlAlice)
    {
        var aliceUser = await App.CreateUserAsync($"{prefix}-alice");
        var bobUser = await App.CreateUserAsync($"{prefix}-bob");
        var chatId = (await App.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var alice = await NewPageAsync();
        var bob = await NewPageAsync();
        var connection = await BlazorConnection.InstallAsync(controlAlice ? alice : bob);
        await alice.LogInAsync(aliceUser.UserName!);
        await bob.LogInAsync(bobUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        await bob.OpenAsync($"/chats/{chatId}");
        await alice.SendAsync("before the outage");
        await bob.ExpectLastMessagesAsync(["before the outage"]);
        return (alice, bob, connection, aliceUser.Id);
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync(App);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// An app whose circuits outlive a lost connection by only <see cref="Retention"/>. Without
    /// <paramref name="keepsLostCircuits"/> it keeps nothing of a circuit it dropped, as after a restart, so the page
    /// cannot resume it and reloads itself.
    /// </summary>
    private sealed class RetentionAppFactory(bool keepsLostCircuits) : DuckChatAppFactory(new Dictionary<string, string?>
    {
        ["DuckChat:Circuit:DisconnectedRetention"] = Retention.ToString(),
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (!keepsLostCircuits)
            {
                builder.ConfigureTestServices(services => services.Configure<CircuitOptions>(o => o.PersistedCircuitInMemoryMaxRetained = 0));
            }
        }
    }
}
