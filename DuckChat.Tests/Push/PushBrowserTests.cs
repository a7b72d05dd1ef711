using System.Text.Json;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Push;
using Microsoft.Playwright;

namespace DuckChat.Tests.Push;

/// <summary>
/// The page's side of push in Chromium. A browser's real subscription needs its vendor's push service, which is not
/// reachable here, so PushManager is stubbed to hand over a subscription at <see cref="FakePushService"/> with keys
/// the test made; the service worker is the real one, registered by the page, and its handlers run inside it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PushBrowserTests(BrowserFixture browser, PushAppFactory app) : IClassFixture<PushAppFactory>
{
    private const string TurnOn = "Turn on push notifications on this device";

    [Fact]
    public async Task TurningPushOn_AsksOnlyFromTheButton_AndTheWorkerShowsThePush_AndOpensItsChat()
    {
        await using var service = await FakePushService.StartAsync();
        var alice = await app.CreateUserAsync("sw-alice");
        var bob = await app.CreatePersonAsync("sw-bob");
        var subscription = service.Subscribe(await app.PublicKeyAsync());
        await using var context = await StubbedContextAsync(subscription);
        var page = await context.NewPageAsync();
        await page.LogInAsync("sw-alice");
        await page.GotoAsync("/settings/push");
        await page.WaitForInteractiveAsync();
        var button = page.GetByRole(AriaRole.Button, new() { Name = TurnOn });
        await Assertions.Expect(button).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.permissionAsked"));

        await button.ClickAsync();

        await Assertions.Expect(page.GetByTestId("push-on")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Chrome on Linux (this device)")).ToBeVisibleAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.permissionAsked"));
        Assert.Equal(subscription.Endpoint, Assert.Single(await app.DevicesAsync(alice.Id)).Endpoint);

        // bob writes; the push goes out, and the service worker gets what the push service decrypted.
        var chatId = (await app.ChatServiceFor(bob).OpenDirectChatAsync("sw-alice")).ChatId;
        var sent = await app.ChatServiceFor(bob).SendAsync(chatId, "Lunch?", Guid.NewGuid());
        await app.Queue.EnqueueAsync(sent.Message!.Id, chatId, [alice.Id], new PushContent("sw-bob", "sw-bob", "Lunch?", $"message-{sent.Message.Id}"));
        var push = await Eventually.GetAsync(() => Task.FromResult(service.Received), r => r.Count > 0, because: "the push");
        var worker = await ServiceWorkerAsync(context);
        await page.GotoAsync("about:blank"); // no DuckChat tab is looked at

        var shown = await worker.EvaluateAsync<JsonElement>(DispatchPush, push[0].Payload);

        var notification = Assert.Single(shown.EnumerateArray().ToList());
        Assert.Equal("sw-bob", notification.GetProperty("title").GetString());
        Assert.Equal("Lunch?", notification.GetProperty("options").GetProperty("body").GetString());
        Assert.Equal($"message-{sent.Message.Id}", notification.GetProperty("options").GetProperty("tag").GetString());
        var url = notification.GetProperty("options").GetProperty("data").GetProperty("url").GetString();
        Assert.Equal(app.Url($"/chats/{chatId}"), url);

        // A DuckChat tab is open again: the click brings it to the chat, in place.
        await page.GotoAsync(app.Url("/"));
        await page.WaitForInteractiveAsync();
        await worker.EvaluateAsync<JsonElement?>(DispatchClick, url);
        // Blazor moves within the document (history.pushState): the tab keeps its circuit.
        await Eventually.TrueAsync(() => Task.FromResult(page.Url == url), because: "the tab to open the chat");
        await Assertions.Expect(page.MessageBodies().Last).ToHaveTextAsync("Lunch?");
    }

    [Fact]
    public async Task APushWhileDuckChatIsLookedAt_ShowsNoSecondNotification()
    {
        await using var service = await FakePushService.StartAsync();
        await app.CreateUserAsync("sw-carol");
        await using var context = await StubbedContextAsync(service.Subscribe(await app.PublicKeyAsync()));
        var page = await context.NewPageAsync();
        await page.LogInAsync("sw-carol");
        await page.GotoAsync("/settings/push");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = TurnOn }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("push-on")).ToBeVisibleAsync();
        var worker = await ServiceWorkerAsync(context);

        var shown = await worker.EvaluateAsync<JsonElement>(DispatchPush, """{"title":"x","body":"y","tag":"message-1","url":"/chats/1"}""");

        Assert.Equal(0, shown.GetArrayLength());
    }

    [Fact]
    public async Task LoggingOut_RemovesThisBrowsersDevice_AndLoggingOutEverywhere_RemovesThemAll()
    {
        await using var service = await FakePushService.StartAsync();
        var dora = await app.CreateUserAsync("sw-dora");
        var elsewhere = service.Subscribe(await app.PublicKeyAsync());
        // Another browser of dora's, with a sign-in of its own.
        Assert.True((await app.ServiceFor<PushDevices>(dora).AddAsync(new BrowserSubscription(elsewhere.Endpoint, elsewhere.P256dh, elsewhere.Auth, ""))).Succeeded);
        await using var context = await StubbedContextAsync(service.Subscribe(await app.PublicKeyAsync()));
        var page = await context.NewPageAsync();
        await page.LogInAsync("sw-dora");
        await page.GotoAsync("/settings/push");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = TurnOn }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("push-on")).ToBeVisibleAsync();
        Assert.Equal(2, (await app.DevicesAsync(dora.Id)).Count);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));

        Assert.Equal(elsewhere.Endpoint, Assert.Single(await app.DevicesAsync(dora.Id)).Endpoint);
        await page.LogInAsync("sw-dora");
        await page.GotoAsync("/Identity/Account/Manage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out everywhere" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Identity/Account/Login"));
        Assert.Empty(await app.DevicesAsync(dora.Id));
    }

    /// <summary>
    /// The page's registered service worker. Playwright's .NET binding keeps the service workers Chromium reports (what
    /// Node's context.serviceWorkers() returns) on its context class but not on IBrowserContext, so they are read there.
    /// </summary>
    private static Task<IWorker> ServiceWorkerAsync(IBrowserContext context) => Eventually.GetAsync(
        () => Task.FromResult(((IReadOnlyList<IWorker>)context.GetType().GetProperty("ServiceWorkers")!.GetValue(context)!).FirstOrDefault()!),
        worker => worker is not null, because: "the service worker to be registered");

    /// <summary>A profile whose PushManager hands over <paramref name="subscription"/>, that counts permission requests, and may notify.</summary>
    private async Task<IBrowserContext> StubbedContextAsync(FakeSubscription subscription)
    {
        var context = await browser.NewContextAsync(app);
        await context.GrantPermissionsAsync(["notifications"]);
        var keys = JsonSerializer.Serialize(new { endpoint = subscription.Endpoint, p256dh = subscription.P256dh, auth = subscription.Auth });
        await context.AddInitScriptAsync($"({StubPushManager})({keys})");
        return context;
    }

    private const string StubPushManager = """
        ({ endpoint, p256dh, auth }) => {
            if (typeof PushManager === "undefined") return;
            window.permissionAsked = 0;
            const ask = Notification.requestPermission.bind(Notification);
            Notification.requestPermission = (...args) => { window.permissionAsked++; return ask(...args); };
            let current = null;
            PushManager.prototype.getSubscription = async () => current;
            PushManager.prototype.subscribe = async options => current = {
                endpoint,
                options: { applicationServerKey: options.applicationServerKey },
                toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
                unsubscribe: async () => { current = null; return true; },
            };
        }
        """;

    // Events a script dispatches are not the browser's, so their waitUntil refuses promises: these collect the handler's
    // promise instead, and showNotification is recorded rather than shown.
    private const string DispatchPush = """
        async payload => {
            const shown = [];
            self.registration.showNotification = async (title, options) => { shown.push({ title, options }); };
            const waits = [];
            const event = new PushEvent("push", { data: payload });
            Object.defineProperty(event, "waitUntil", { value: promise => waits.push(promise) });
            self.dispatchEvent(event);
            await Promise.all(waits);
            return shown;
        }
        """;

    private const string DispatchClick = """
        async url => {
            const waits = [];
            const event = new Event("notificationclick");
            Object.defineProperty(event, "notification", { value: { data: { url }, close() {} } });
            Object.defineProperty(event, "waitUntil", { value: promise => waits.push(promise) });
            self.dispatchEvent(event);
            await Promise.allSettled(waits);
        }
        """;
}
