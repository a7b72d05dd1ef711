using System.Text.Json.Serialization;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Files.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DuckChat.Web.Files;

/// <summary>
/// The HTTP side of files: the composer posts each file here (outside the circuit, so a big file never passes
/// through it), and pages load images and downloads from here. Everything a file sends back is inert: the type sniffed
/// from its bytes, nosniff, a sandbox CSP, and anything but the inline image types as an attachment.
/// </summary>
public static class FileEndpoints
{
    /// <summary>The policy of every file response: the browser runs nothing in it, even opened on its own.</summary>
    public const string ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    public static WebApplication MapDuckChatFiles(this WebApplication app)
    {
        var files = app.MapGroup(FileUrls.Prefix).RequireAuthorization();
        files.MapPost("", UploadAsync).DisableAntiforgery(); // checked in UploadAsync, from the header the composer sends
        files.MapGet("{id}/thumbnail", (HttpContext context, string id) => ServeAsync(context, id, thumbnail: true));
        files.MapGet("{id}/{name}", (HttpContext context, string id) => ServeAsync(context, id, thumbnail: false));
        return app;
    }

    private static async Task UploadAsync(HttpContext context, int chat, FileUploads uploads, IAntiforgery antiforgery, IOptions<FilesOptions> options, IOptions<IdentityOptions> identity)
    {
        if (!await antiforgery.IsRequestValidAsync(context) || SignedInUser.From(context.User, identity.Value) is not { } me)
        {
            await AnswerAsync(context, UploadResult.Refused(UploadError.Refused, "This page is out of date. Reload it and try again."));
            return;
        }

        // Kestrel's own limit would cut a file off with a bare error; the upload's limit answers with a reason instead.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.Value.MaxFileBytes + 1;
        }

        var name = context.Request.Headers["X-File-Name"].ToString();
        try
        {
            name = Uri.UnescapeDataString(name);
        }
        catch (UriFormatException)
        {
            // Not encoded as the composer encodes it: the raw header still makes a safe name.
        }

        UploadResult result;
        try
        {
            result = await uploads.UploadAsync(me, chat, name, context.Request.ContentLength, context.Request.Body, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            result = UploadResult.Refused(UploadError.Incomplete, "The upload stopped before the whole file arrived.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the browser cancelled it: nobody is waiting for an answer
        }

        await AnswerAsync(context, result);
    }

    private static Task AnswerAsync(HttpContext context, UploadResult result)
    {
        if (result.File is { } file)
        {
            return context.Response.WriteAsJsonAsync(new Uploaded(file.Id, file.Name, file.Size, file.ContentType, file.Inline));
        }

        context.Response.StatusCode = result.Error switch
        {
            UploadError.TooLarge => StatusCodes.Status413PayloadTooLarge,
            UploadError.QuotaExceeded => StatusCodes.Status507InsufficientStorage,
            UploadError.TypeNotAllowed => StatusCodes.Status415UnsupportedMediaType,
            UploadError.RateLimited => StatusCodes.Status429TooManyRequests,
            UploadError.NotFound => StatusCodes.Status404NotFound,
            UploadError.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return context.Response.WriteAsJsonAsync(new Refusal(result.Error!.Value, result.Message!));
    }

    /// <summary>
    /// The file (or its thumbnail) for a member of its chat whose sign-in may act, or for its uploader before it is
    /// sent; for everyone else the same 404 as for an id that does not exist.
    /// </summary>
    private static async Task<IResult> ServeAsync(HttpContext context, string id, bool thumbnail)
    {
        var services = context.RequestServices;
        if (id.Length != ChatFile.IdLength || SignedInUser.From(context.User, services.GetRequiredService<IOptions<IdentityOptions>>().Value) is not { } me)
        {
            return Results.NotFound();
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync(context.RequestAborted);
        var file = await db.Files.AsNoTracking()
            .Where(f => f.Id == id && f.State == FileState.Stored
                && (f.MessageId != null ? db.ChatMembers.Any(m => m.ChatId == f.ChatId && m.UserId == me.Id) : f.UploaderId == me.Id))
            .FirstOrDefaultAsync(context.RequestAborted);
        if (file is null || (thumbnail && file.Thumbnail != ThumbnailState.Ready)
            || !me.MayAct(await AccountState.LoadAsync(db, me), services.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            return Results.NotFound();
        }

        var store = services.GetRequiredService<IFileStore>();
        var content = await store.OpenReadAsync(thumbnail ? FileKeys.Thumbnail(id) : FileKeys.Original(id), context.RequestAborted);
        if (content is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        // Only this person's browser may keep it; a shared proxy never does, and it is checked again after a while.
        headers.CacheControl = "private, max-age=300";
        var disposition = new ContentDispositionHeaderValue(file.Inline ? "inline" : "attachment");
        disposition.SetHttpFileName(thumbnail ? $"{Path.GetFileNameWithoutExtension(file.Name)}.webp" : file.Name);
        headers.ContentDisposition = disposition.ToString();
        var type = thumbnail ? "image/webp" : file.ContentType;
        var tag = new EntityTagHeaderValue($"\"{(thumbnail ? "t-" : "")}{file.Hash}\"");
        return Results.Stream(content, type, lastModified: file.UploadedAt, entityTag: tag, enableRangeProcessing: true);
    }

    private sealed record Uploaded(string Id, string Name, long Size, string ContentType, bool Inline);

    private sealed record Refusal([property: JsonConverter(typeof(JsonStringEnumConverter<UploadError>))] UploadError Error, string Message);
}
