using System.Net;
using System.Text.RegularExpressions;

namespace DuckChat.Tests.Infrastructure;

/// <summary>Posting a server-rendered form over plain HTTP, as a browser would: its hidden inputs (antiforgery token, ...) go along.</summary>
public static partial class HtmlForms
{
    /// <summary>The page's hidden inputs by name, values HTML-decoded.</summary>
    public static Dictionary<string, string> HiddenInputs(string html) =>
        InputTag().Matches(html)
            .Select(tag => tag.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .Select(tag => (Name: Attribute(tag, "name"), Value: Attribute(tag, "value")))
            .Where(input => input.Name is not null)
            .ToDictionary(input => input.Name!, input => WebUtility.HtmlDecode(input.Value ?? ""));

    /// <summary>The page with every antiforgery token's value blanked (they differ on every response).</summary>
    public static string WithoutAntiforgeryTokens(string html) => AntiforgeryToken().Replace(html, "$1");

    /// <summary>
    /// GETs the page at <paramref name="path"/> (the client keeps the antiforgery cookie) and POSTs its hidden inputs
    /// with <paramref name="fields"/> back to it.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        var form = HiddenInputs(page);
        Assert.True(form.ContainsKey("__RequestVerificationToken"), $"No form with an antiforgery token at {path}:\n{page}");
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    /// <summary>An HTTP client signed in as <paramref name="userName"/> through the log-in page (it keeps the cookie).</summary>
    public static async Task<HttpClient> SignedInClientAsync(this DuckChatAppFactory app, string userName, CookieContainer? cookies = null)
    {
        var client = app.CreateHttpClient(cookies: cookies);
        using var response = await client.PostFormAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.UserNameOrEmail"] = userName,
            ["Input.Password"] = DuckChatAppFactory.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"""\s{Regex.Escape(name)}="([^"]*)" """.TrimEnd()) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("""(name="__RequestVerificationToken" type="hidden" value=")[^"]*""")]
    private static partial Regex AntiforgeryToken();
}
