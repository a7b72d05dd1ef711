using System.Net;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Security;

public sealed class ThrottledAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Security:LogInPerMinutePerAccount"] = "3",
    ["DuckChat:Security:LogInPerMinutePerAddress"] = "6",
    ["DuckChat:Security:RegisterPerHourPerAddress"] = "2",
    ["DuckChat:Security:ForgotPasswordPerHourPerAddress"] = "2",
});

public sealed class ThrottleTests(ThrottledAppFactory app) : IClassFixture<ThrottledAppFactory>
{
    private const string TooMany = "Too many attempts. Wait a little, then try again.";

    [Fact]
    public async Task LogIn_IsThrottledPerAccountName_ThenPerAddress_With429AndAClearMessage()
    {
        var results = new List<(string Account, HttpStatusCode Status, string Body)>();
        foreach (var account in new[] { "thr-a", "thr-a", "thr-a", "thr-a", "thr-b", "thr-c", "thr-d" })
        {
            using var client = app.CreateHttpClient();
            using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
            {
                ["Input.UserNameOrEmail"] = account,
                ["Input.Password"] = "Wrong-password1",
            });
            results.Add((account, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            results.Select(r => r.Status));
        Assert.Contains(TooMany, results[3].Body);
        Assert.Contains("Invalid log-in attempt.", results[4].Body);
    }

    [Theory]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/ForgotPassword")]
    public async Task RegisterAndForgotPassword_AreThrottledPerAddress(string page)
    {
        var statuses = new List<HttpStatusCode>();
        string? lastBody = null;
        for (var i = 0; i < 3; i++)
        {
            using var client = app.CreateHttpClient();
            using var response = await client.PostFormAsync(page, new Dictionary<string, string>
            {
                ["Input.UserName"] = $"thr-new{i}",
                ["Input.Email"] = $"thr-new{i}@example.test",
                ["Input.Password"] = DuckChatAppFactory.Password,
                ["Input.ConfirmPassword"] = DuckChatAppFactory.Password,
            });
            statuses.Add(response.StatusCode);
            lastBody = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
        Assert.Contains(TooMany, lastBody);
    }
}
