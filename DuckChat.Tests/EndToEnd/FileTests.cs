using Deque.AxeCore.Playwright;
using DuckChat.Tests.Files;
using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;
using SkiaSharp;

namespace DuckChat.Tests.EndToEnd;

/// <summary>
/// Files and images in a chat as people send and see them, in real Chromium against the real upload and download
/// endpoints. Headless Chromium has no OS drag and drop or clipboard, so those arrive as the synthetic events a page
/// gets from them (a DragEvent or ClipboardEvent carrying a DataTransfer with a File).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FileTests(BrowserFixture browser, FilesAppFactory app) : IClassFixture<FilesAppFactory>, IAsyncDisposable
{
    private static readonly string[] Failing = ["serious", "critical"];

    // Closed after each test: an open page keeps its circuit's socket, which would hold up the app's stop.
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task AttachedImage_ShowsLiveToTheOtherPerson_AndOpensFullSizeInTheViewer()
    {
        var (alice, bob) = await ChatAsync("attach");

        await alice.Locator(".composer-files").SetInputFilesAsync(new FilePayload { Name = "wide picture.png", MimeType = "image/png", Buffer = TestImages.Png(720, 360, SKColors.SkyBlue, SKColors.Orange) });
        await ExpectUploadedAsync(alice, "wide picture.png");
        await Assertions.Expect(alice.Locator(".attachment-size")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? (bytes|KB)$"));
        await alice.SendAsync("a picture");
        await Assertions.Expect(alice.Locator(".attachment")).ToHaveCountAsync(0);

        // Live: Bob's page shows the row at once and the thumbnail as soon as the server has made it, half as high as wide.
        var button = bob.Row("a picture").GetByRole(AriaRole.Button, new() { Name = "wide picture.png" });
        var thumbnail = button.Locator("img");
        await Assertions.Expect(thumbnail).ToHaveAttributeAsync("width", "360", new() { Timeout = 30_000 });
        await Assertions.Expect(thumbnail).ToHaveAttributeAsync("height", "180");
        await Eventually.TrueAsync(() => thumbnail.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), because: "the thumbnail to load");

        var viewer = bob.GetByRole(AriaRole.Dialog, new() { Name = "wide picture.png" });
        await button.ClickAsync();
        await Assertions.Expect(viewer).ToBeVisibleAsync();
        await Eventually.TrueAsync(() => viewer.Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 720"),
            because: "the full image to load in the viewer");
        await bob.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToBeHiddenAsync();
        await Assertions.Expect(button).ToBeFocusedAsync();

        // Its close button and a click beside the image close it too.
        await button.ClickAsync();
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(viewer).ToBeHiddenAsync();
        await button.ClickAsync();
        await Assertions.Expect(viewer).ToBeVisibleAsync();
        await bob.Mouse.ClickAsync(4, 4);
        await Assertions.Expect(viewer).ToBeHiddenAsync();
        await ExpectNoSeriousViolationsAsync(bob);
    }

    [Fact]
    public async Task DroppedImage_WithoutText_IsAMessageOfTheImageAlone_ShownLive()
    {
        var (alice, bob) = await ChatAsync("drop");
        var file = new TestFile("dropped.png", "image/png", TestImages.Png(200, 400, SKColors.SkyBlue, SKColors.Orange));

        await DragAsync(alice, "dragenter", file);
        await Assertions.Expect(alice.Locator(".chat-view.drop-target")).ToHaveCountAsync(1);
        await DragAsync(alice, "dragleave", file);
        await Assertions.Expect(alice.Locator(".chat-view.drop-target")).ToHaveCountAsync(0);
        await DragAsync(alice, "dragenter", file);
        await DragAsync(alice, "drop", file);
        await Assertions.Expect(alice.Locator(".chat-view.drop-target")).ToHaveCountAsync(0);
        await ExpectUploadedAsync(alice, "dropped.png");
        await alice.MessageBox().PressAsync("Enter");

        await Assertions.Expect(alice.Locator(".attachment")).ToHaveCountAsync(0);
        var row = bob.Locator(".message", new() { Has = bob.GetByRole(AriaRole.Button, new() { Name = "dropped.png" }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".message-body")).ToHaveCountAsync(0);
        // Tall: the box's height decides (400 → 270), the width follows (200 → 135).
        await Assertions.Expect(row.Locator(".file-image img")).ToHaveAttributeAsync("width", "135", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task PastedScreenshot_GoesWithTheTextTyped_ShownLive()
    {
        var (alice, bob) = await ChatAsync("paste");

        await alice.MessageBox().FillAsync("see this");
        await alice.EvaluateAsync("""
            ([name, type, data]) => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([Uint8Array.from(atob(data), c => c.charCodeAt(0))], name, { type }));
                document.querySelector(".composer-input").dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
            }
            """, new[] { "image.png", "image/png", Convert.ToBase64String(TestImages.Png(64, 48, SKColors.SkyBlue, SKColors.Orange)) });
        await Assertions.Expect(alice.MessageBox()).ToHaveValueAsync("see this"); // the file, not its name as text
        await ExpectUploadedAsync(alice, "image.png");
        await alice.MessageBox().PressAsync("Enter");

        await Assertions.Expect(bob.Row("see this").Locator(".file-image img")).ToHaveAttributeAsync("alt", "image.png", new() { Timeout = 30_000 });
        await Assertions.Expect(bob.Row("see this").Locator(".file-image img")).ToHaveAttributeAsync("width", "64");
    }

    [Fact]
    public async Task OtherFile_IsACard_WhoseLinkDownloadsAsAnAttachment_ForMembersOnly()
    {
        var (alice, bob) = await ChatAsync("card");
        var notes = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("quack quack\n", 200)));

        await alice.Locator(".composer-files").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = notes });
        await ExpectUploadedAsync(alice, "notes.txt");
        await alice.SendAsync("the notes");

        var card = bob.Row("the notes").Locator(".file-card");
        await Assertions.Expect(card.Locator(".file-name")).ToHaveTextAsync("notes.txt");
        await Assertions.Expect(card.Locator(".file-size")).ToHaveTextAsync("2.3 KB");
        var link = card.GetByRole(AriaRole.Link, new() { Name = "Download notes.txt" });
        var download = await bob.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("notes.txt", download.SuggestedFilename);

        var url = (await link.GetAttributeAsync("href"))!;
        var response = await bob.APIRequest.GetAsync(url);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("attachment", response.Headers["content-disposition"]);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        Assert.Equal(notes, await response.BodyAsync());

        // Someone not in the chat gets what a file that does not exist gets.
        var carol = await app.CreateUserAsync("card-carol");
        var outsider = await (await NewContextAsync()).NewPageAsync();
        await outsider.LogInAsync(carol.UserName!);
        await outsider.WaitForInteractiveAsync();
        var theirs = await outsider.APIRequest.GetAsync(url);
        var none = await outsider.APIRequest.GetAsync(url.Replace(url.Split('/')[2], new string('A', 22)));
        Assert.Equal((404, 404), (theirs.Status, none.Status));
        Assert.Equal(await none.TextAsync(), await theirs.TextAsync());
    }

    [Fact]
    public async Task RemovingAnUploadInFlight_CancelsIt_AndTheMessageGoesWithoutIt()
    {
        var (alice, bob) = await ChatAsync("cancel");
        var failed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.RequestFailed += (_, request) =>
        {
            if (request.Url.Contains("/files?chat=", StringComparison.Ordinal))
            {
                failed.TrySetResult(request.Failure);
            }
        };
        // A slow line (Chromium's own throttling), so the upload is still running when it is removed.
        var devTools = await alice.Context.NewCDPSessionAsync(alice);
        await devTools.SendAsync("Network.enable");
        await devTools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = 16 * 1024,
        });

        await alice.Locator(".composer-files").SetInputFilesAsync(new FilePayload { Name = "big.bin", MimeType = "application/octet-stream", Buffer = new byte[1_500_000] });
        var chip = alice.Locator(".attachment");
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "uploading");
        await Assertions.Expect(chip.GetByRole(AriaRole.Progressbar, new() { Name = "Uploading big.bin" })).ToBeVisibleAsync();

        // Send waits for the upload: refused with a note, the text stays in the box.
        await alice.MessageBox().FillAsync("without the file");
        await alice.MessageBox().PressAsync("Enter");
        await Assertions.Expect(alice.Locator(".attachment-note")).ToHaveAttributeAsync("data-reason", "Uploading");
        await Assertions.Expect(alice.MessageBox()).ToHaveValueAsync("without the file");

        await chip.GetByRole(AriaRole.Button, new() { Name = "Remove big.bin" }).ClickAsync();
        await Assertions.Expect(alice.Locator(".attachment")).ToHaveCountAsync(0);
        Assert.NotNull(await failed.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken)); // aborted by the page
        await devTools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });

        await alice.MessageBox().PressAsync("Enter");
        await bob.ExpectLastMessagesAsync(["without the file"]);
        await Assertions.Expect(bob.Row("without the file").Locator(".message-files")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task FilesTheBrowserKnowsWouldBeRefused_FailAtOnce_SayingWhy_WithoutUploading()
    {
        var (alice, bob) = await ChatAsync("limits");
        var uploads = 0;
        alice.Request += (_, request) =>
        {
            if (request.Url.Contains("/files?chat=", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref uploads);
            }
        };

        // The app allows 2 MiB a file, 3 files a message, and .png, .txt and .bin files.
        await DragAsync(alice, "drop",
            new TestFile("huge.png", "image/png", new byte[3 * 1024 * 1024]), new TestFile("tool.exe", "application/octet-stream", [1, 2, 3]),
            new TestFile("a.txt", "text/plain", [65]), new TestFile("b.txt", "text/plain", [66]), new TestFile("c.txt", "text/plain", [67]),
            new TestFile("d.txt", "text/plain", [68]));

        await ExpectChipAsync(alice, "huge.png", "failed", "TooLarge");
        await ExpectChipAsync(alice, "tool.exe", "failed", "TypeNotAllowed");
        await ExpectChipAsync(alice, "d.txt", "failed", "TooMany");
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt" })
        {
            await ExpectChipAsync(alice, name, "uploaded");
        }

        Assert.Equal(3, uploads);
        await Assertions.Expect(Chip(alice, "huge.png").Locator(".attachment-error")).ToContainTextAsync("2 MB");
        await ExpectNoSeriousViolationsAsync(alice);
        await Chip(alice, "huge.png").GetByRole(AriaRole.Button, new() { Name = "Remove huge.png" }).ClickAsync();
        await Assertions.Expect(Chip(alice, "huge.png")).ToHaveCountAsync(0);

        // The uploaded files go; those that failed stay, saying why, until removed.
        await alice.SendAsync("three files");
        // In the order they were uploaded (the server's), which for uploads run side by side is any order.
        var names = bob.Row("three files").Locator(".file-card .file-name");
        await Assertions.Expect(names).ToHaveCountAsync(3);
        Assert.Equal(["a.txt", "b.txt", "c.txt"], (await names.AllTextContentsAsync()).Order());
        await Assertions.Expect(alice.Locator(".attachment:visible")).ToHaveCountAsync(2);
        Assert.Equal(3, uploads);
    }

    private sealed record TestFile(string Name, string Type, byte[] Bytes);

    /// <summary>Dispatches a drag event of <paramref name="type"/> carrying the files over the message list (it bubbles to the chat).</summary>
    private static Task DragAsync(IPage page, string type, params TestFile[] files) => page.EvaluateAsync("""
        ([type, files]) => {
            const transfer = new DataTransfer();
            for (const f of files) {
                transfer.items.add(new File([Uint8Array.from(atob(f.data), c => c.charCodeAt(0))], f.name, { type: f.type }));
            }
            document.querySelector(".message-list").dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
        """, new object[] { type, files.Select(f => new { name = f.Name, type = f.Type, data = Convert.ToBase64String(f.Bytes) }).ToArray() });

    private static ILocator Chip(IPage page, string name) =>
        page.Locator(".attachment", new() { Has = page.Locator(".attachment-name", new() { HasText = name }) });

    private static Task ExpectUploadedAsync(IPage page, string name) => ExpectChipAsync(page, name, "uploaded");

    private static async Task ExpectChipAsync(IPage page, string name, string state, string? error = null)
    {
        await Assertions.Expect(Chip(page, name)).ToHaveAttributeAsync("data-state", state, new() { Timeout = 30_000 });
        if (error is not null)
        {
            await Assertions.Expect(Chip(page, name)).ToHaveAttributeAsync("data-error", error);
        }
    }

    private static async Task ExpectNoSeriousViolationsAsync(IPage page)
    {
        var failures = (await page.RunAxe()).Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>Alice and Bob in a direct chat, each with it open in a browser of their own.</summary>
    private async Task<(IPage Alice, IPage Bob)> ChatAsync(string prefix)
    {
        var aliceUser = await app.CreateUserAsync($"{prefix}-alice");
        var bobUser = await app.CreateUserAsync($"{prefix}-bob");
        var chatId = (await app.ChatServiceFor(aliceUser).OpenDirectChatAsync(bobUser.UserName!)).ChatId;
        var pages = new List<IPage>();
        foreach (var user in new[] { aliceUser, bobUser })
        {
            var page = await (await NewContextAsync()).NewPageAsync();
            await page.LogInAsync(user.UserName!);
            await page.OpenAsync($"/chats/{chatId}");
            pages.Add(page);
        }

        return (pages[0], pages[1]);
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.NewContextAsync(app, new() { AcceptDownloads = true });
        _contexts.Add(context);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }
}

/// <summary>Small limits, so the browser's own checks can be seen: 2 MiB a file, 3 files a message, three types.</summary>
public sealed class FilesAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Files:MaxFileBytes"] = "2097152",
    ["DuckChat:Files:MaxFilesPerMessage"] = "3",
    ["DuckChat:Files:AllowedExtensions:0"] = ".png",
    ["DuckChat:Files:AllowedExtensions:1"] = ".txt",
    ["DuckChat:Files:AllowedExtensions:2"] = ".bin",
});
