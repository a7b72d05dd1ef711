using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DuckChat.Tests.Infrastructure;

/// <summary>What a person does in a chat, in the browser.</summary>
public static class ChatPageExtensions
{
    public static ILocator MessageBox(this IPage page) => page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });

    /// <summary>Types a message and presses Enter, then waits until it shows in the sender's own page.</summary>
    public static async Task SendAsync(this IPage page, string text)
    {
        await page.WaitForComposerAsync();
        await page.MessageBox().FillAsync(text);
        await page.MessageBox().PressAsync("Enter");
        await Assertions.Expect(page.MessageBodies().Filter(new() { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") })).ToHaveCountAsync(1);
    }

    /// <summary>The row of the message whose text is exactly <paramref name="text"/>.</summary>
    public static ILocator Row(this IPage page, string text) =>
        page.Locator(".message", new() { Has = page.Locator(".message-body", new() { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") }) });

    /// <summary>Opens the row's menu, chooses React, searches the picker for <paramref name="emojiName"/> and picks the first match by keyboard.</summary>
    public static async Task ReactAsync(this IPage page, string messageText, string emojiName)
    {
        await page.Row(messageText).GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "React" }).ClickAsync();
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search emoji by name" });
        await Assertions.Expect(search).ToBeFocusedAsync();
        await search.FillAsync(emojiName);
        await search.PressAsync("Enter");
    }

    /// <summary>Edits a message of mine through its menu.</summary>
    public static async Task EditAsync(this IPage page, string text, string newText)
    {
        await page.Row(text).GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync(newText);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
    }

    /// <summary>The reaction chips under a message, as shown ("👍️ 2"), mine marked with a star.</summary>
    public static async Task<IReadOnlyList<string>> ReactionsOfAsync(this IPage page, string messageText)
    {
        var chips = page.Row(messageText).Locator(".reaction");
        var shown = new List<string>();
        foreach (var chip in await chips.AllAsync())
        {
            var text = Regex.Replace(await chip.TextContentAsync() ?? "", @"\s+", " ").Trim();
            shown.Add(await chip.GetAttributeAsync("aria-pressed") == "true" ? text + "*" : text);
        }

        return shown;
    }

    /// <summary>Waits until the message's chips are exactly <paramref name="expected"/> (see <see cref="ReactionsOfAsync"/>).</summary>
    public static Task ExpectReactionsAsync(this IPage page, string messageText, params string[] expected) =>
        Eventually.TrueAsync(async () => (await page.ReactionsOfAsync(messageText)).SequenceEqual(expected),
            because: $"the reactions on \"{messageText}\" to be {string.Join(", ", expected)}");

    /// <summary>Waits until the composer's script is attached (before that, Enter only makes a new line).</summary>
    public static Task WaitForComposerAsync(this IPage page) => page.Locator(".composer-input[data-ready='true']").WaitForAsync();

    public static ILocator MessageBodies(this IPage page) => page.Locator(".message-body");

    /// <summary>The rows of messages typed in this tab that the server has not confirmed yet.</summary>
    public static ILocator PendingSends(this IPage page) => page.Locator(".pending-send");

    /// <summary>The texts this tab keeps until the server confirms them, in every chat (see Composer.razor.js).</summary>
    public static Task<string[]> KeptTextsAsync(this IPage page) => page.EvaluateAsync<string[]>(
        "() => Object.keys(sessionStorage).filter(k => k.startsWith('duckchat.pending.')).flatMap(k => JSON.parse(sessionStorage.getItem(k)).map(s => s.text))");

    /// <summary>The texts of the messages shown, top to bottom.</summary>
    public static Task<IReadOnlyList<string>> MessageTextsAsync(this IPage page) => page.MessageBodies().AllTextContentsAsync();

    private static readonly DuckChat.Web.Chats.Formatting.MessageFormatter Formatter = new();

    /// <summary>What a row shows for this Markdown, as <see cref="Normalized"/> text: its plain rendering, without the syntax.</summary>
    public static string PlainRendering(string markdown) => Normalized(Formatter.PlainText(markdown));

    /// <summary>Text with each run of white space as one space: how a row's text content and a plain rendering are compared (HTML keeps no line-end style).</summary>
    public static string Normalized(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>Every link in a message goes to the web or mail, opens in a new tab and tells the other site nothing.</summary>
    public static async Task ExpectOnlySafeLinksAsync(this IPage page)
    {
        foreach (var link in await page.Locator(".message-body a").AllAsync())
        {
            Assert.Matches("^(https?://|mailto:)", await link.GetAttributeAsync("href"));
            Assert.Equal("_blank", await link.GetAttributeAsync("target"));
            Assert.Equal("noopener noreferrer nofollow", await link.GetAttributeAsync("rel"));
        }
    }

    /// <summary>Opens the chat page and waits for its circuit.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
        await page.WaitForComposerAsync();
    }

    /// <summary>Waits until the page shows exactly these messages at its end, in this order.</summary>
    public static async Task ExpectLastMessagesAsync(this IPage page, IReadOnlyList<string> expected, TimeSpan? timeout = null)
    {
        var texts = await Eventually.GetAsync(() => TextsEvenWhileReloadingAsync(page),
            t => t.Count >= expected.Count && t.Skip(t.Count - expected.Count).SequenceEqual(expected),
            timeout ?? TimeSpan.FromSeconds(20), because: $"the page to end with [{string.Join(", ", expected)}]");
        Assert.Equal(texts.Count, texts.Distinct().Count());
    }

    /// <summary>The texts shown, or none while the page is reloading itself (a lost circuit makes it reload).</summary>
    private static async Task<IReadOnlyList<string>> TextsEvenWhileReloadingAsync(IPage page)
    {
        try
        {
            return await page.MessageTextsAsync();
        }
        catch (PlaywrightException e) when (e.Message.Contains("context was destroyed", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
    }
}
