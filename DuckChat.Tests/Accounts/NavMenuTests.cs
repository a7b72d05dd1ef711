using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Accounts;

public sealed class NavMenuTests : MudTestContext
{
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _auth;

    public NavMenuTests()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgeryState());
        _auth = AddAuthorization();
        _auth.SetAuthorized("alice");
    }

    [Fact]
    public void AdminLink_ShowsOnlyForAdmins()
    {
        Assert.Empty(Render<NavMenu>().FindAll("a[href='/admin']"));

        _auth.SetRoles("Admin");

        Assert.Contains("Admin", Render<NavMenu>().Find("a[href='/admin']").TextContent);
    }

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
