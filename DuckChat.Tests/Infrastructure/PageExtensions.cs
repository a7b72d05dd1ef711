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
}
