using System.Text.Encodings.Web;
using System.Text.Json;
using DuckChat.Web.Configuration;

namespace DuckChat.Web.Push;

/// <summary>
/// The JSON a push carries to the service worker (wwwroot/sw.js): the notification's title, text and tag, and the
/// chat to open. Nothing else: it passes through the browser vendor's push service (encrypted, but still).
/// </summary>
public sealed record PushPayload(string Title, string? Body, string Tag, string Url)
{
    /// <summary>Longest payload stored: well inside the 4 KB a push service takes, with the longest names and excerpt.</summary>
    public const int MaxLength = 2000;

    public const int TagMaxLength = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(int chatId, PushContent content, PushOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(content.Tag.Length, TagMaxLength, nameof(content));
        var url = $"/chats/{chatId}";
        var payload = !options.ShowContent
            ? new PushPayload("New message", null, content.Tag, url)
            : new PushPayload(
                content.ChatName == content.SenderName || content.ChatName.Length == 0 ? content.SenderName : $"{content.SenderName} · {content.ChatName}",
                Chats.Formatting.MessageFormatter.OneLine(content.Excerpt, options.ExcerptLength), content.Tag, url);
        return JsonSerializer.Serialize(payload, Json);
    }
}
