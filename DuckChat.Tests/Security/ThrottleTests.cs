using System.Net;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Security;
using Microsoft.AspNetCore.Http;

namespace DuckChat.Tests.Security;

public sealed class ThrottledAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Security:LogInPerMinutePerAddress"] = "6",
    ["DuckChat:Security:RegisterPerHourPerAddress"] = "2",
    ["DuckChat:Security:ForgotPasswordPerHourPerAddress"] = "2",
});

public sealed class ThrottleTests(ThrottledAppFactory app) : IClassFixture<ThrottledAppFactory>
{
    private const string TooMany = "Too many attempts. Wait a little, then try again.";

    [Fact]
    public async Task LogIn_IsThrottledPerAddress_With429AndAClearMessage()
    {
        var results = new List<(HttpStatusCode Status, string Body)>();
        foreach (var address in new[] { "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2" })
        {
            using var client = app.CreateHttpClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
            {
                ["Input.UserNameOrEmail"] = "thr-a",
                ["Input.Password"] = "Wrong-password1",
            });
            results.Add((response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 6), HttpStatusCode.TooManyRequests, HttpStatusCode.OK], results.Select(r => r.Status));
        Assert.Contains(TooMany, results[6].Body);
        Assert.Contains("Invalid log-in attempt.", results[7].Body);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::2", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9", true)]
    public void Addresses_AreKeyedByIPv4AddressOrIPv6Slash64(string first, string second, bool same)
    {
        static string Key(string address) => AccountThrottle.AddressKey(new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } });

        Assert.Equal(same, Key(first) == Key(second));
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
