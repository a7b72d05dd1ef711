namespace DuckChat.Web.Push;

/// <summary>"Firefox on Android": enough for a person to tell their devices apart in the list, from the user agent.</summary>
public static class DeviceLabel
{
    private static readonly (string Token, string Name)[] Browsers =
        [("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")];

    private static readonly (string Token, string Name)[] Systems =
        [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("CrOS", "ChromeOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")];

    public static string From(string userAgent)
    {
        var browser = Browsers.FirstOrDefault(b => userAgent.Contains(b.Token, StringComparison.Ordinal)).Name ?? "A browser";
        var system = Systems.FirstOrDefault(s => userAgent.Contains(s.Token, StringComparison.Ordinal)).Name;
        return system is null ? browser : $"{browser} on {system}";
    }
}
