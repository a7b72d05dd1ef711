using DuckChat.Web.Configuration;
using DuckChat.Web.Files;
using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Chats;

/// <summary>
/// The composer's files. The paperclip button opens the browser's file chooser; files chosen there, dropped on the
/// chat or pasted into the box upload at once, each as a chip the composer's script draws (wwwroot/js/attachments.js),
/// and go with the next send as their ids. Constant markup: it costs one render frame and no component.
/// </summary>
public static class Attachments
{
    public static readonly MarkupString Button = new(
        $"""<button type="button" class="icon-button composer-attach" aria-label="Attach files" title="Attach files">{Components.Icon.Svg(MudBlazor.Icons.Material.Filled.AttachFile)}</button>"""
        + """<input type="file" class="composer-files" multiple hidden aria-label="Files to attach" />""");

    /// <summary>
    /// What the script needs to upload to chat <paramref name="chatId"/>: where, with which antiforgery token, and
    /// the limits the browser can check before an upload starts (the server checks them again).
    /// </summary>
    public static object Settings(FilesOptions options, int chatId, string? antiforgeryToken) => new
    {
        url = FileUrls.Upload(chatId),
        token = antiforgeryToken,
        maxFileBytes = options.MaxFileBytes,
        maxFiles = options.MaxFilesPerMessage,
        allowedExtensions = options.AllowedExtensions.Select(e => e.ToLowerInvariant()).ToArray(),
    };
}
