using System.Text.Json;

namespace DuckChat.Web.Chats;

/// <summary>
/// The emoji people may react with: the set the picker offers (wwwroot/emoji), read once per process from the copy
/// embedded in the app. A reaction the browser sends is accepted only if it is one of them, exactly.
/// </summary>
public sealed class EmojiCatalog
{
    /// <summary>Where the picker fetches the same data from.</summary>
    public const string DataPath = "emoji/emojibase-17.0.0.json";

    private readonly HashSet<string> _emoji;

    public EmojiCatalog()
    {
        using var stream = typeof(EmojiCatalog).Assembly.GetManifestResourceStream("DuckChat.Web.emoji.json")
            ?? throw new InvalidOperationException("The emoji data is missing from the build.");
        _emoji = JsonSerializer.Deserialize<List<Entry>>(stream)!.Select(entry => entry.e).ToHashSet(StringComparer.Ordinal);
    }

    public bool Contains(string emoji) => _emoji.Contains(emoji);

    // The data's own short names keep the static file small.
#pragma warning disable IDE1006
    private sealed record Entry(string e);
#pragma warning restore IDE1006
}
