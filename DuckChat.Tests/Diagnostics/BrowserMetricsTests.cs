using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.Diagnostics;

/// <summary>
/// A send typed in one browser and shown in another moves DuckChat's series on /metrics, and the open pages show as
/// Blazor circuits and chat pages: what an operator's dashboard reads.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserMetricsTests(BrowserFixture browser, MetricsEndpointTests.PrometheusAppFactory app)
    : IClassFixture<MetricsEndpointTests.PrometheusAppFactory>
{
    [Fact]
    public async Task SendInTheBrowser_MovesTheSeries_AndCountsCircuitsAndChatPages()
    {
        // Arrange: two people, each with the chat open in a browser
        var aliceUser = await app.CreateUserAsync("browser-metrics-alice");
        var bobUser = await app.CreateUserAsync("browser-metrics-bob");
        var chatId = (await app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var alice = await (await browser.NewContextAsync(app)).NewPageAsync();
        var bob = await (await browser.NewContextAsync(app)).NewPageAsync();
        await alice.LogInAsync(aliceUser.UserName!);
        await bob.LogInAsync(bobUser.UserName!);
        await alice.OpenAsync($"/chats/{chatId}");
        await bob.OpenAsync($"/chats/{chatId}");
        var before = await PrometheusScrape.GetAsync(app.ManagementAddress!);

        // Act
        await alice.SendAsync("quack-browser-secret");
        await bob.ExpectLastMessagesAsync(["quack-browser-secret"]);

        // Assert
        // Blazor's circuit gauges move as circuits open and close (the log-in pages' circuits close as the chats open),
        // so they are waited for too.
        var after = await Eventually.GetAsync(() => PrometheusScrape.GetAsync(app.ManagementAddress!),
            scrape => scrape.Sum("duckchat_send_duration_seconds_count") > before.Sum("duckchat_send_duration_seconds_count")
                      && scrape.Sum("aspnetcore_components_circuit_active") >= 2 && scrape.Sum("aspnetcore_components_circuit_connected") >= 2,
            because: "the send's duration and both pages' circuits to show");
        Assert.True(after.Sum("duckchat_messages_sent_total") > before.Sum("duckchat_messages_sent_total"), after.Text);
        Assert.True(after.Sum("duckchat_deliveries_total") > before.Sum("duckchat_deliveries_total"), after.Text);
        Assert.True(after.Sum("duckchat_chat_pages_open") >= 2, after.Text);
        Assert.True(after.Sum("duckchat_catchups_total") >= 2, after.Text);
        Assert.True(after.Sum("aspnetcore_components_circuit_active") >= 2, after.Text);
        Assert.True(after.Sum("aspnetcore_components_circuit_connected") >= 2, after.Text);
        Assert.True(after.Has("signalr_server_active_connections"), after.Text);
        Assert.True(after.Has("kestrel_active_connections"), after.Text);
        Assert.DoesNotContain("quack-browser-secret", after.Text);
    }
}
