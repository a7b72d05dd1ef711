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
            var token = TokenIn(await http.GetStringAsync(path, cancellationToken), path);
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

    /// <summary>
    /// The antiforgery request token a page of this person's carries, as the composer has it for an upload's
    /// RequestVerificationToken header (the cookie it pairs with stays in <see cref="Cookies"/>).
    /// </summary>
    public async Task<string> RequestVerificationTokenAsync(CancellationToken cancellationToken)
    {
        const string path = "/Identity/Account/Manage";
        return TokenIn(await Http.GetStringAsync(path, cancellationToken), path);
    }

    public void Dispose() => Http.Dispose();

    private static string TokenIn(string page, string path) => AntiforgeryToken().Match(page) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new InvalidOperationException($"No antiforgery token on {path}:\n{page}");

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]*)" """)]
    private static partial Regex AntiforgeryToken();
}
