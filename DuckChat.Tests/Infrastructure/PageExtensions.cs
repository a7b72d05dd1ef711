using Microsoft.Playwright;

namespace DuckChat.Tests.Infrastructure;

/// <summary>What a person does on the account pages, in the browser.</summary>
public static class PageExtensions
{
    public static async Task LogInAsync(this IPage page, string userNameOrEmail, string password = DuckChatAppFactory.Password)
    {
        await page.GotoAsync("/Identity/Account/Login");
        await page.GetByLabel("Username or email").FillAsync(userNameOrEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    /// <summary>Waits until the page's circuit is connected and interactive (a click before that does nothing).</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("body[data-interactive='true']").WaitForAsync();

    /// <summary>
    /// Hides the tab as the browser would (headless Chromium calls every page visible and focused, so this is emulated):
    /// not visible, not focused, with the events a page listens for.
    /// </summary>
    public static Task HideTabAsync(this IPage page) => page.EvaluateAsync("""
        () => {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
            document.hasFocus = () => false;
            document.dispatchEvent(new Event('visibilitychange'));
            window.dispatchEvent(new Event('blur'));
        }
        """);

    /// <summary>Shows a tab hidden by <see cref="HideTabAsync"/> again, visible and focused.</summary>
    public static Task ShowTabAsync(this IPage page) => page.EvaluateAsync("""
        () => {
            delete document.visibilityState; delete document.hidden; delete document.hasFocus;
            document.dispatchEvent(new Event('visibilitychange'));
            window.dispatchEvent(new Event('focus'));
        }
        """);

    /// <summary>Marks the current document, so <see cref="WaitForReloadAsync"/> can tell when the page has loaded anew.</summary>
    public static Task MarkDocumentAsync(this IPage page) => page.EvaluateAsync("() => window.__duckChatMarked = true");

    /// <summary>
    /// Waits until the page has reloaded by itself (its circuit died with its server) into a new, interactive
    /// document: the mark from <see cref="MarkDocumentAsync"/> is gone.
    /// </summary>
    public static Task WaitForReloadAsync(this IPage page, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                return await page.EvaluateAsync<bool>("() => window.__duckChatMarked === undefined && document.body.dataset.interactive === 'true'");
            }
            catch (PlaywrightException)
            {
                return false; // in the middle of reloading
            }
        }, timeout ?? TimeSpan.FromSeconds(90), "the page to reload by itself");
}
