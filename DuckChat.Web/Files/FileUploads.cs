using System.Security.Cryptography;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files.Images;
using DuckChat.Web.Files.Storage;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Files;

/// <summary>Why an upload was refused; the endpoint answers each with its own status.</summary>
public enum UploadError { TooLarge, QuotaExceeded, TypeNotAllowed, RateLimited, NotFound, StoreUnavailable, Incomplete, Refused }

/// <summary>The stored file, or why there is none (with the sentence the person sees).</summary>
public sealed record UploadResult(FileView? File, UploadError? Error = null, string? Message = null)
{
    public static UploadResult Refused(UploadError error, string message) => new(null, error, message);
}

/// <summary>
/// Takes a file into a chat. The bytes stream from the request to a temporary file (never all in memory), are
/// sniffed there, an image loses its metadata, and the result goes to the store; the row reserved before the first
/// byte holds the quota meanwhile. Whatever fails, the reservation is dropped and the person is told why.
/// </summary>
public sealed class FileUploads(
    ChatWriter writer, IFileStore store, ImageProcessor images, FileWorkQueue queue, PersonRateLimits rateLimits,
    IOptions<FilesOptions> options, DatabaseLocation location, ILogger<FileUploads> logger)
{
    private FilesOptions Options => options.Value;

    public async Task<UploadResult> UploadAsync(SignedInUser me, int chatId, string? sentName, long? length, Stream body, CancellationToken cancellationToken)
    {
        var name = FileNames.Sanitize(sentName);
        if (Refusal(name, length) is { } refused)
        {
            return refused;
        }

        if (!rateLimits.TryWrite(me.Id))
        {
            return UploadResult.Refused(UploadError.RateLimited, PersonRateLimits.TooManyChanges);
        }

        var (refusal, id) = await writer.ChangeAsync((db, now) =>
            FileRecords.ReserveAsync(db, now, me, chatId, name, length!.Value, Options.QuotaBytesPerPerson, Options.UnattachedLifetime));
        switch (refusal)
        {
            case FileRecords.Refusal.NotFound:
                return UploadResult.Refused(UploadError.NotFound, "This chat does not exist, or you are not in it.");
            case FileRecords.Refusal.QuotaExceeded:
                return UploadResult.Refused(UploadError.QuotaExceeded,
                    $"This file would take you over your storage of {FileSizes.Format(Options.QuotaBytesPerPerson)}. Delete some files, or ask an admin.");
        }

        var result = UploadResult.Refused(UploadError.Incomplete, "The upload stopped before the whole file arrived.");
        try
        {
            result = await StoreAsync(id!, name, length!.Value, body, cancellationToken);
            return result;
        }
        finally
        {
            if (result.File is null)
            {
                await writer.ChangeAsync(async (db, now) =>
                {
                    await FileRecords.AbandonedAsync(db, now, id!, Options.DeletionGrace);
                    return true;
                });
            }
        }
    }

    /// <summary>What can be refused before a byte is read: the name, the announced size, the type by its extension.</summary>
    private UploadResult? Refusal(string name, long? length)
    {
        if (!Options.Enabled)
        {
            return UploadResult.Refused(UploadError.Refused, "Files are turned off on this server.");
        }

        if (length is null or <= 0)
        {
            return UploadResult.Refused(UploadError.Refused, length == 0 ? "This file is empty." : "The browser did not say how big the file is.");
        }

        if (length > Options.MaxFileBytes)
        {
            return UploadResult.Refused(UploadError.TooLarge, $"\"{name}\" is {FileSizes.Format(length.Value)}; the limit is {FileSizes.Format(Options.MaxFileBytes)} per file.");
        }

        return Options.AllowedExtensions.Length > 0 && !Options.AllowedExtensions.Contains(FileNames.ExtensionOf(name), StringComparer.OrdinalIgnoreCase)
            ? UploadResult.Refused(UploadError.TypeNotAllowed, $"Files of this type can't be sent here. Allowed: {string.Join(", ", Options.AllowedExtensions)}.")
            : null;
    }

    private async Task<UploadResult> StoreAsync(string id, string name, long length, Stream body, CancellationToken cancellationToken)
    {
        await using var received = TemporaryFile();
        if (!await ReceiveAsync(body, received, length, cancellationToken))
        {
            return UploadResult.Refused(UploadError.Incomplete, $"\"{name}\" did not arrive whole: it was not the size the browser announced.");
        }

        var head = new byte[FileSniffer.HeadLength];
        received.Position = 0;
        var type = FileSniffer.Sniff(head.AsSpan(0, await received.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken)));
        received.Position = 0;

        await using var cleaned = type.InlineImage ? TemporaryFile() : null;
        var (width, height) = ((int?)null, (int?)null);
        if (cleaned is not null)
        {
            var image = await images.CleanAsync(received, cleaned, type, cancellationToken);
            switch (image.Outcome)
            {
                case ImageOutcome.TooManyPixels:
                    return UploadResult.Refused(UploadError.Refused, $"\"{name}\" has too many pixels to show; the limit is {Options.MaxImagePixels:N0}.");
                case ImageOutcome.Unreadable:
                    return UploadResult.Refused(UploadError.Refused, $"\"{name}\" is a damaged image and can't be shown.");
            }

            (width, height) = (image.Width, image.Height);
        }

        var stored = cleaned ?? received;
        stored.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, cancellationToken));
        stored.Position = 0;
        try
        {
            await store.PutAsync(FileKeys.Original(id), stored, stored.Length, type.ContentType, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Could not put file {FileId} in the store", id);
            return UploadResult.Refused(UploadError.StoreUnavailable, "Files can't be stored right now. Try again later; text messages still send.");
        }

        var file = new StoredFile(stored.Length, type.ContentType, type.InlineImage, width, height, hash);
        if (!await writer.ChangeAsync((db, now) => FileRecords.StoredAsync(db, now, id, file)))
        {
            return UploadResult.Refused(UploadError.Incomplete, "The upload took too long and was dropped. Try again.");
        }

        if (file.Inline)
        {
            queue.Doorbell.Ring();
        }

        return new UploadResult(new FileView(id, name, file.Size, file.ContentType, file.Inline, width, height, ThumbnailReady: false));
    }

    /// <summary>Copies the body, refusing more bytes than announced; false when fewer came.</summary>
    private static async Task<bool> ReceiveAsync(Stream body, Stream into, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > length)
            {
                return false;
            }

            await into.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total == length;
    }

    /// <summary>A file in the data folder's upload area that removes itself when closed, whatever happened.</summary>
    private FileStream TemporaryFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(location.DataDirectory, "uploads")).FullName;
        return new FileStream(Path.Combine(folder, $"{Guid.NewGuid():N}.upload"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }
}
