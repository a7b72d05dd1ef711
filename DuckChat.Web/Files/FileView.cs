namespace DuckChat.Web.Files;

/// <summary>
/// A file as a message shows it. <see cref="Inline"/> images show as a thumbnail (<see cref="ThumbnailReady"/>), with
/// <see cref="Width"/> and <see cref="Height"/> keeping the proportions; everything else is a card with a download link.
/// </summary>
public sealed record FileView(string Id, string Name, long Size, string ContentType, bool Inline, int? Width, int? Height, bool ThumbnailReady)
{
    /// <summary>The file itself: inline for the image types, a download for everything else.</summary>
    public string Url => FileUrls.Content(Id, Name);

    public string ThumbnailUrl => FileUrls.Thumbnail(Id);
}

/// <summary>The URLs files are served at: an unguessable id, never a path. The name is only there for the browser's "save as".</summary>
public static class FileUrls
{
    public const string Prefix = "/files";

    public static string Content(string id, string name) => $"{Prefix}/{id}/{Uri.EscapeDataString(name)}";

    public static string Thumbnail(string id) => $"{Prefix}/{id}/thumbnail";

    /// <summary>Where the composer posts a file for a chat.</summary>
    public static string Upload(int chatId) => $"{Prefix}?chat={chatId}";
}
