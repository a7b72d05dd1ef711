using System.Net;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Admin;

/// <summary>Every admin page as anonymous, as a plain user and as an admin, over plain HTTP (server-rendered first load).</summary>
public sealed class AdminPageAccessTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    public static TheoryData<string> AdminPages => ["/admin", "/admin/users", "/admin/chats", "/admin/messages", "/admin/audit", "/admin/backup"];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task AdminPage_SendsAnonymousToLogIn_PlainUsersToAccessDenied_AndServesAdmins(string path)
    {
        await EnsurePeopleAsync();
        using var anonymous = app.CreateHttpClient();
        using var plain = await app.SignedInClientAsync("access-plain");
        using var admin = await app.SignedInClientAsync("access-admin");

        using var anonymousResponse = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);
        using var plainResponse = await plain.GetAsync(path, TestContext.Current.CancellationToken);
        using var adminResponse = await admin.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, anonymousResponse.StatusCode);
        Assert.Equal("/Identity/Account/Login", anonymousResponse.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, plainResponse.StatusCode);
        Assert.Equal("/Identity/Account/AccessDenied", plainResponse.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
    }

    /// <summary>The two accounts, made by the first test of the class (its tests run one after another).</summary>
    private async Task EnsurePeopleAsync()
    {
        await using var db = await app.CreateDbContextAsync();
        if (!db.Users.Any(u => u.UserName == "access-admin"))
        {
            await app.CreateUserAsync("access-plain");
            await app.MakeAdminAsync(await app.CreateUserAsync("access-admin"));
        }
    }
}
