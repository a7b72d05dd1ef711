using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Accounts;

public sealed class NavMenuTests : MudTestContext
{
    public NavMenuTests() => Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgeryState());

    [Fact]
    public void LogOut_PostsToIdentityWithAntiforgeryToken()
    {
        var menu = Render<NavMenu>();

        var form = menu.Find("form[action='/Identity/Account/Logout']");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name='__RequestVerificationToken']"));
        Assert.Equal("Log out", form.QuerySelector("button[type='submit']")?.TextContent.Trim());
    }

    [Fact]
    public void AccountLink_LeavesTheCircuitWithAFullPageLoad()
    {
        var menu = Render<NavMenu>();

        var account = menu.Find("a[href='/Identity/Account/Manage']");

        Assert.Contains("Account", account.TextContent);
    }
}

file sealed class FixedAntiforgeryState : AntiforgeryStateProvider
{
    public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
}
