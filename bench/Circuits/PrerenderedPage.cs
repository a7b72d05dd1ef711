using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DuckChat.Bench.Circuits;

/// <summary>
/// A page as the server prerendered it: its interactive server components' markers
/// (<c>&lt;!--Blazor:{"type":"server",...}--&gt;</c>) and the protected component state
/// (<c>&lt;!--Blazor-Server-Component-State:...--&gt;</c>), which the circuit needs to take the components over.
/// </summary>
public sealed partial class PrerenderedPage(Uri location, IReadOnlyList<JsonObject> markers, string applicationState)
{
    /// <summary>The page's address, the circuit's first location (blazor.web.js sends location.href).</summary>
    public Uri Location { get; } = location;

    public IReadOnlyList<JsonObject> Markers { get; } = markers;

    public string ApplicationState { get; } = applicationState;

    public static async Task<PrerenderedPage> LoadAsync(SignedInAccount account, string path, CancellationToken cancellationToken)
    {
        var location = new Uri(account.BaseUri, path);
        using var response = await account.Http.GetAsync(location, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} as {account.UserName} answered {(int)response.StatusCode}");
        }

        return Parse(location, html);
    }

    public static PrerenderedPage Parse(Uri location, string html)
    {
        // Start markers carry "type"; end markers only {"prerenderId":...}. blazor.web.js takes the server ones in
        // document order, which is also the order of their "sequence".
        var markers = Marker().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => (string?)m["type"] == "server")
            .OrderBy(m => (int)m["sequence"]!)
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{location} has no interactive server component markers.");
        }

        var state = State().Match(html) is { Success: true } match ? match.Groups[1].Value : "";
        return new PrerenderedPage(location, markers, state);
    }

    /// <summary>
    /// The first UpdateRootComponents batch, as blazor.web.js builds it: an "add" per marker, numbered from 1 in
    /// the order found, the marker without its DOM nodes but with the uniqueId the script gave it.
    /// </summary>
    public string AddRootComponentsJson(int batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < Markers.Count; i++)
        {
            var marker = Markers[i].DeepClone().AsObject();
            marker["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker });
        }

        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString(JsonSerializerOptions.Default);
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:([a-zA-Z0-9+/=]+)-->")]
    private static partial Regex State();
}
