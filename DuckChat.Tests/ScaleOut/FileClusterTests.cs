using DuckChat.Tests.Files;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Playwright;
using SkiaSharp;

namespace DuckChat.Tests.ScaleOut;

/// <summary>
/// Two DuckChat processes on one SQLite file, one redis-server and one S3-protocol server: a file Alice sends through
/// instance 0 is shown and downloaded by Bob through instance 1, and is still there after instance 1 restarts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FileClusterTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly S3ServerFixture _s3 = new();
    private AppCluster? _cluster;

    [Fact]
    public async Task ImageSentThroughOneInstance_IsShownAndServedByTheOther_AndSurvivesItsRestart()
    {
        _s3.RequireServer();
        var environment = _s3.AppSettings("cluster-files").ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!);
        _cluster = await AppCluster.StartAsync(environment: environment);
        var alice = await OpenDirectChatAsync(0, "alice", "bob");
        var bob = await OpenDirectChatAsync(1, "bob", "alice");

        await alice.Locator(".composer-files").SetInputFilesAsync(new FilePayload { Name = "shared.png", MimeType = "image/png", Buffer = TestImages.Png(300, 200, SKColors.SkyBlue, SKColors.Orange) });
        await Assertions.Expect(alice.Locator(".attachment")).ToHaveAttributeAsync("data-state", "uploaded", new() { Timeout = 30_000 });
        await alice.SendAsync("from instance 0");

        await ExpectImageAsync(bob);
        var original = await bob.APIRequest.GetAsync((await bob.Row("from instance 0").Locator(".file-image").GetAttributeAsync("data-full"))!);
        Assert.Equal(200, original.Status);
        Assert.Equal("image/png", original.Headers["content-type"]);
        Assert.Equal((300, 200), Size(await original.BodyAsync()));

        // The restarted instance kept nothing of Bob's page: the page loads itself anew, and the file is still there.
        await bob.MarkDocumentAsync();
        await _cluster.StopInstanceAsync(1);
        await _cluster.StartInstanceAsync(1);
        await bob.WaitForReloadAsync();
        await ExpectImageAsync(bob);
    }

    /// <summary>The message's thumbnail, loaded from the page's own instance.</summary>
    private static async Task ExpectImageAsync(IPage page)
    {
        var thumbnail = page.Row("from instance 0").Locator(".file-image img");
        await Assertions.Expect(thumbnail).ToHaveAttributeAsync("alt", "shared.png", new() { Timeout = 30_000 });
        await Eventually.TrueAsync(() => thumbnail.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), TimeSpan.FromSeconds(30),
            because: "the thumbnail to load through this instance");
    }

    private static (int, int) Size(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image);
        return (bitmap.Width, bitmap.Height);
    }

    private async Task<IPage> OpenDirectChatAsync(int instance, string me, string other)
    {
        var page = await (await browser.NewContextAsync(_cluster!.Url(instance))).NewPageAsync();
        await page.LogInAsync(me, DemoSeeder.Password);
        await page.WaitForInteractiveAsync();
        await page.OpenAsync($"/dm/{other}");
        return page;
    }

    public async ValueTask InitializeAsync() => await _s3.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _s3.DisposeAsync();
    }
}
