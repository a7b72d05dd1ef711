using System.Net;
using System.Text.RegularExpressions;

namespace DuckChat.Bench.Circuits;

/// <summary>
/// One person signed in over plain HTTP, as the browser does it: Identity's log-in form with its antiforgery token,
/// landing on /health/live so signing in opens no circuit. Holds the cookies every page and circuit of the person uses.
/// </summary>
public sealed partial class SignedInAccount : IDisposable
{
    private SignedInAccount(Uri baseUri, string userName, CookieContainer cookies, HttpClient http)
    {
        BaseUri = baseUri;
        UserName = userName;
        Cookies = cookies;
        Http = http;
    }

    public Uri BaseUri { get; }

    public string UserName { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public static async Task<SignedInAccount> SignInAsync(Uri baseUri, string userName, string password, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
        try
        {
            const string path = "/Identity/Account/Login?ReturnUrl=%2Fhealth%2Flive";
            var form = await http.GetStringAsync(path, cancellationToken);
            var token = AntiforgeryToken().Match(form) is { Success: true } match
                ? WebUtility.HtmlDecode(match.Groups[1].Value)
                : throw new InvalidOperationException($"No antiforgery token on the log-in page:\n{form}");
            using var response = await http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.UserNameOrEmail"] = userName,
                ["Input.Password"] = password,
                ["__RequestVerificationToken"] = token,
            }), cancellationToken);
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/health/live")
            {
                throw new InvalidOperationException($"Signing in {userName} answered {(int)response.StatusCode} {response.Headers.Location}");
            }

            return new SignedInAccount(baseUri, userName, cookies, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]*)" """)]
    private static partial Regex AntiforgeryToken();
}
