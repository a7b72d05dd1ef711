using System.Globalization;
using System.Text.Json;

namespace DuckChat.Bench.Circuits;

/// <summary>What a browser tab looks like to the page's scripts: its window, its time zone, whether it is looked at.</summary>
public sealed record BrowserProfile(string TimeZone, int WindowWidth, int WindowHeight, bool Attentive)
{
    /// <summary>
    /// Headless Chromium as the harness runs it: Playwright's default 1280×720 viewport, the machine's time zone,
    /// and visible and focused (headless Chromium reports every page so).
    /// </summary>
    public static BrowserProfile HeadlessChromium { get; } = new(LocalTimeZone(), 1280, 720, Attentive: true);

    /// <summary>The IANA name Chromium reports for this machine (it reads the same /etc/localtime).</summary>
    private static string LocalTimeZone() =>
        TimeZoneInfo.Local.HasIanaId ? (TimeZoneInfo.Local.Id == "Etc/UTC" ? "UTC" : TimeZoneInfo.Local.Id)
        : TimeZoneInfo.TryConvertWindowsIdToIanaId(TimeZoneInfo.Local.Id, out var iana) ? iana : "UTC";
}

/// <summary>The result of one JS call as blazor.web.js reports it: success and the JSON of the value (or the error).</summary>
public readonly record struct JsAnswer(bool Succeeded, string ResultJson);

/// <summary>
/// Answers the JS interop calls a DuckChat chat page makes (its own scripts, MudBlazor's and Blazor's), with the
/// values the page's scripts would return in <see cref="BrowserProfile"/>'s browser. Keeps the JS objects it handed
/// out (imported modules) so that calls on them resolve, as blazor.web.js's object table does.
/// </summary>
public sealed class BrowserAnswers(BrowserProfile browser)
{
    // blazor.web.js's JSCallResultType.
    private const int ResultJsObjectReference = 1;
    private const int ResultVoid = 3;

    private readonly Dictionary<long, string> _objects = [];
    private long _nextObjectId = 1; // 0 is window

    /// <summary>Identifiers answered with null because this client does not know them (the report lists them).</summary>
    public HashSet<string> Unknown { get; } = [];

    public string? ModuleOf(long targetInstanceId) => _objects.GetValueOrDefault(targetInstanceId);

    public JsAnswer Answer(string identifier, string? argsJson, int resultType, long targetInstanceId)
    {
        if (resultType == ResultJsObjectReference || (identifier == "import" && targetInstanceId == 0))
        {
            var id = _nextObjectId++;
            _objects[id] = identifier == "import" ? FirstString(argsJson) ?? identifier : identifier;
            return new JsAnswer(true, $$"""{"__jsObjectId":{{id}}}""");
        }

        var value = (ModuleOf(targetInstanceId), identifier) switch
        {
            (_, "DotNet.disposeJSObjectReferenceById") => Dispose(argsJson),
            // Both return nothing in Chromium (undefined, sent as null): the title is the head outlet's own.
            (null, "Blazor._internal.PageTitle.getAndRemoveExistingTitle") => "null",
            (null, "Blazor._internal.navigationManager.enableNavigationInterception") => "null",
            (null, "duckChat.timeZone") => JsonSerializer.Serialize(browser.TimeZone),
            // A message that should notify: Chromium returns nothing, whether or not its tab shows it.
            (null, "duckChat.notify") => "null",
            (null, "mudResizeListener.getBrowserWindowSize") => $$"""{"height":{{browser.WindowHeight}},"width":{{browser.WindowWidth}}}""",
            (null, "mudResizeListener.matchMedia") => Json(MatchesMedia(FirstString(argsJson) ?? "")),
            // MudBlazor's script is loaded (and defines every mud* global); the page's own is window.duckChat.
            (null, "window.hasOwnProperty") => Json(FirstString(argsJson) is { } name && (name.StartsWith("mud", StringComparison.Ordinal) || name == "duckChat")),
            // Asked before the provider's first render has reached the page, when Chromium still counts none.
            (null, "mudpopoverHelper.countProviders") => "0",
            // The one element measured is the drawer: below the dense app bar (48 px), 240 px wide, to the window's bottom.
            (null, "mudElementRef.getBoundingClientRect") => DrawerBox(),
            ("./Chats/Composer.razor.js", "restore") => "true", // the box was emptied on send, so the text goes back
            // A fresh tab keeps no unconfirmed sends (attach hands over what an earlier page of the tab kept).
            ("./Chats/Composer.razor.js", "attach" or "pending") => "[]",
            // Attention: attach answers with the tab's state (visible; visible and focused; and in use), detach with nothing.
            ("./Components/Layout/AttentionReporter.razor.js", "attach") =>
                JsonSerializer.Serialize(new { visible = browser.Attentive, attentive = browser.Attentive, lookedAt = browser.Attentive }),
            ("./Components/Layout/AttentionReporter.razor.js", "detach") => "null",
            // Typing: attach and detach return nothing (what attach hands over is BlazorCircuit's to call).
            ("./Chats/TypingIndicator.razor.js", "attach" or "detach") => "null",
            // The push settings page in a browser that can push and was never asked: no subscription; asked, it declines.
            ("./Push/PushSettingsPage.razor.js", "status") => """{"supported":true,"permission":"default","endpoint":null}""",
            ("./Push/PushSettingsPage.razor.js", "subscribe") => """{"outcome":"denied"}""",
            _ => null,
        };
        if (value is null && resultType != ResultVoid)
        {
            Unknown.Add(identifier);
        }

        return new JsAnswer(true, value ?? "null");
    }

    private string? Dispose(string? argsJson)
    {
        using var args = JsonDocument.Parse(argsJson ?? "[]");
        if (args.RootElement.GetArrayLength() > 0 && args.RootElement[0].TryGetInt64(out var id))
        {
            _objects.Remove(id);
        }

        return "null";
    }

    /// <summary>A media query of min-width/max-width terms joined by "and", against the window's width.</summary>
    private bool MatchesMedia(string query) => query.Split(" and ", StringSplitOptions.TrimEntries).All(term =>
    {
        var parts = term.Trim('(', ')').Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[1].EndsWith("px", StringComparison.Ordinal)
            || !double.TryParse(parts[1][..^2], CultureInfo.InvariantCulture, out var px))
        {
            return false;
        }

        return parts[0] switch
        {
            "min-width" => browser.WindowWidth >= px,
            "max-width" => browser.WindowWidth <= px,
            _ => false,
        };
    });

    private string DrawerBox()
    {
        var (width, height) = (browser.WindowWidth, browser.WindowHeight);
        return $$"""{"x":0,"y":48,"width":240,"height":{{height - 48}},"top":48,"right":240,"bottom":{{height}},"left":0,"scrollY":0,"scrollX":0,"windowHeight":{{height}},"windowWidth":{{width}}}""";
    }

    private static string Json(bool value) => value ? "true" : "false";

    private static string? FirstString(string? argsJson)
    {
        using var args = JsonDocument.Parse(argsJson ?? "[]");
        return args.RootElement.GetArrayLength() > 0 && args.RootElement[0].ValueKind == JsonValueKind.String ? args.RootElement[0].GetString() : null;
    }
}
