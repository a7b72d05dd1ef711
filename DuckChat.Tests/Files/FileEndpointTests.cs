using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Files;
using DuckChat.Web.Files.Storage;
using DuckChat.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Files;

/// <summary>The app with small file limits, no deletion grace and no write throttling, for the upload and download endpoints.</summary>
public sealed class SmallFilesAppFactory() : DuckChatAppFactory(new Dictionary<string, string?>
{
    ["DuckChat:Files:MaxFileBytes"] = "200000",
    ["DuckChat:Files:QuotaBytesPerPerson"] = "300000",
    ["DuckChat:Files:DeletionGrace"] = "00:00:00",
    ["DuckChat:Files:UnattachedLifetime"] = "00:00:02",
    ["DuckChat:Chat:WriteBurst"] = "10000",
    ["DuckChat:Chat:WritePerSecond"] = "1000",
    ["DuckChat:Chat:SendBurst"] = "10000",
    ["DuckChat:Chat:SendPerSecond"] = "1000",
});

public sealed partial class FileEndpointTests(SmallFilesAppFactory app) : IClassFixture<SmallFilesAppFactory>
{
    /// <summary>A 1 × 1 PNG.</summary>

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SentFile_IsServedToMembersWithInertHeaders_AndToOthersAsIfItDidNotExist()
    {
        var (alice, bob, groupId) = await GroupAsync("dl");
        var eve = await app.CreateUserAsync("dl-eve");
        var aliceClient = await UploaderAsync(alice);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("log line\n", 500)));

        var uploaded = await UploadOkAsync(aliceClient, groupId, "build \u202Egol.exe", bytes);
        var sent = await app.ChatServiceFor(alice).SendAsync(groupId, "", Guid.NewGuid(), fileIds: [uploaded.Id]);

        Assert.Equal(SendOutcome.Sent, sent.Outcome);
        var file = Assert.Single(sent.Message!.Files);
        Assert.Equal("build gol.exe", file.Name);
        Assert.False(file.Inline);
        Assert.Equal(file, Assert.Single((await app.ChatServiceFor(bob).GetHistoryAsync(groupId)).Single(m => m.Id == sent.Message.Id).Files));

        using var bobClient = await app.SignedInClientAsync(bob.UserName!);
        using var response = await bobClient.GetAsync(file.Url, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("build gol.exe", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        // No shared cache keeps it: private, or not at all when the response also renews the sign-in cookie.
        Assert.True(response.Headers.CacheControl is { Private: true } or { NoStore: true }, response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);

        using var eveClient = await app.SignedInClientAsync(eve.UserName!);
        using var forEve = await eveClient.GetAsync(file.Url, Cancel);
        using var nothing = await eveClient.GetAsync(FileUrls.Content("AAAAAAAAAAAAAAAAAAAAAA", "x"), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, forEve.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        Assert.Equal(await nothing.Content.ReadAsStringAsync(Cancel), await forEve.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Download_AnswersRangesAndRevalidation()
    {
        var (alice, _, groupId) = await GroupAsync("rng");
        var client = await UploaderAsync(alice);
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray();
        var uploaded = await UploadOkAsync(client, groupId, "data.bin", bytes);
        var url = (await app.ChatServiceFor(alice).SendAsync(groupId, "data", Guid.NewGuid(), fileIds: [uploaded.Id])).Message!.Files.Single().Url;

        using var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var partial = await client.Client.SendAsync(range, Cancel);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync(Cancel));

        using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { partial.Headers.ETag! } } };
        using var unchanged = await client.Client.SendAsync(again, Cancel);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
    }

    [Fact]
    public async Task HtmlNamedPng_IsNotAnImage_AndIsServedAsAnAttachment()
    {
        var (alice, _, groupId) = await GroupAsync("html");
        var client = await UploaderAsync(alice);
        var uploaded = await UploadOkAsync(client, groupId, "cat.png", "<!DOCTYPE html><script>alert(1)</script>"u8.ToArray());
        Assert.False(uploaded.Inline);
        Assert.Equal("text/html", uploaded.ContentType);

        var url = (await app.ChatServiceFor(alice).SendAsync(groupId, "look", Guid.NewGuid(), fileIds: [uploaded.Id])).Message!.Files.Single().Url;
        using var response = await client.Client.GetAsync(url, Cancel);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Upload_RefusesWhatItMust_WithAReasonAndNothingKept()
    {
        var (alice, bob, groupId) = await GroupAsync("bad");
        var client = await UploaderAsync(alice);
        var mallory = await app.CreateUserAsync("bad-mallory");
        var outsider = await UploaderAsync(mallory);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, UploadError.TooLarge), await UploadFailsAsync(client, groupId, "big.bin", new byte[200_001]));
        Assert.Equal((HttpStatusCode.NotFound, UploadError.NotFound), await UploadFailsAsync(outsider, groupId, "x.txt", "hi"u8.ToArray()));
        Assert.Equal((HttpStatusCode.BadRequest, UploadError.Refused), await UploadFailsAsync(client, groupId, "empty.txt", []));
        Assert.Equal((HttpStatusCode.BadRequest, UploadError.Refused), await UploadFailsAsync(client with { Token = "forged" }, groupId, "x.txt", "hi"u8.ToArray()));

        using var crossSite = Request(client, groupId, "x.txt", "hi"u8.ToArray());
        crossSite.Headers.Add("Origin", "https://evil.example");
        using var refused = await client.Client.SendAsync(crossSite, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await using var db = await app.CreateDbContextAsync();
        Assert.False(await db.Files.AnyAsync(f => f.ChatId == groupId && f.State != FileState.Deleted, Cancel));
        _ = bob;
    }

    [Fact]
    public async Task Upload_OfAnImageBombOrABrokenImage_IsRefusedWithAReason_AndAnSvgIsOnlyADownload()
    {
        var (alice, _, groupId) = await GroupAsync("img");
        var client = await UploaderAsync(alice);
        var jpeg = TestImages.Jpeg(64, 32, SkiaSharp.SKColors.White, SkiaSharp.SKColors.Red);

        Assert.Equal((HttpStatusCode.BadRequest, UploadError.Refused), await UploadFailsAsync(client, groupId, "huge.png", TestImages.PngBomb(20_000, 20_000)));
        Assert.Equal((HttpStatusCode.BadRequest, UploadError.Refused), await UploadFailsAsync(client, groupId, "cut.jpg", jpeg[..(jpeg.Length / 2)]));
        var svg = await UploadOkAsync(client, groupId, "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray());
        var whole = await UploadOkAsync(client, groupId, "photo.jpg", jpeg);

        Assert.Equal(("image/svg+xml", false), (svg.ContentType, svg.Inline));
        Assert.Equal(("image/jpeg", true), (whole.ContentType, whole.Inline));
        var sent = (await app.ChatServiceFor(alice).SendAsync(groupId, "", Guid.NewGuid(), fileIds: [svg.Id, whole.Id])).Message!;
        using var response = await client.Client.GetAsync(sent.Files.Single(f => f.Id == svg.Id).Url, Cancel);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal((64, 32), (sent.Files.Single(f => f.Id == whole.Id).Width, sent.Files.Single(f => f.Id == whole.Id).Height));
    }

    [Fact]
    public async Task Upload_ByAMemberRemovedMeanwhile_IsNotFound()
    {
        var (alice, bob, groupId) = await GroupAsync("rem");
        var bobClient = await UploaderAsync(bob);
        Assert.Equal(ChangeResult.Done().Succeeded, (await app.ServiceFor<GroupService>(alice).RemoveMemberAsync(groupId, bob.Id)).Succeeded);

        Assert.Equal((HttpStatusCode.NotFound, UploadError.NotFound), await UploadFailsAsync(bobClient, groupId, "x.txt", "hi"u8.ToArray()));
    }

    [Fact]
    public async Task Quota_TwoParallelUploadsThatTogetherExceedIt_OnlyOneIsStored()
    {
        var (alice, _, groupId) = await GroupAsync("quota");
        var client = await UploaderAsync(alice);

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => SendUploadAsync(client, groupId, $"part{i}.bin", new byte[180_000])));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.InsufficientStorage], answers.Select(a => a.StatusCode).Order());
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(180_000, await db.Files.Where(f => f.UploaderId == alice.Id && f.State != FileState.Deleted).SumAsync(f => f.Size, Cancel));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Upload_AbortedHalfway_LeavesNoFileBehind()
    {
        var (alice, _, groupId) = await GroupAsync("abort");
        var client = await UploaderAsync(alice);
        var halfway = new TaskCompletionSource();
        using var request = Request(client, groupId, "half.bin", new HalfThenWait(100_000, halfway.Task), 150_000);
        using var aborting = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var sending = client.Client.SendAsync(request, aborting.Token);
        var reserved = await Eventually.GetAsync(async () =>
        {
            await using var db = await app.CreateDbContextAsync();
            return await db.Files.Where(f => f.UploaderId == alice.Id).Select(f => f.Id).FirstOrDefaultAsync(Cancel);
        }, id => id is not null, because: "the upload's reservation");
        await aborting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        halfway.SetResult();

        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.CreateDbContextAsync();
            return await db.Files.AnyAsync(f => f.Id == reserved && f.State == FileState.Deleted, Cancel);
        }, because: "the aborted upload is dropped");
        await app.Services.GetRequiredService<FileWorker>().DoDueAsync(Cancel);
        Assert.Null(await app.Services.GetRequiredService<IFileStore>().OpenReadAsync(FileKeys.Original(reserved!), Cancel));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.Services.GetRequiredService<DuckChat.Web.Data.DatabaseLocation>().DataDirectory, "uploads")));
    }

    [Fact]
    public async Task Send_WithAFileThatIsNotTheSendersUnsentUpload_SavesNothing()
    {
        var (alice, bob, groupId) = await GroupAsync("gone");
        var bobFile = await UploadOkAsync(await UploaderAsync(bob), groupId, "bob.txt", "bob's"u8.ToArray());
        var aliceFile = await UploadOkAsync(await UploaderAsync(alice), groupId, "alice.txt", "alice's"u8.ToArray());
        var clientId = Guid.NewGuid();

        var stolen = await app.ChatServiceFor(alice).SendAsync(groupId, "mine now", clientId, fileIds: [aliceFile.Id, bobFile.Id]);

        Assert.Equal(SendOutcome.FileGone, stolen.Outcome);
        var history = await app.ChatServiceFor(alice).GetHistoryAsync(groupId);
        Assert.DoesNotContain(history, m => m.Body == "mine now");
        var retry = await app.ChatServiceFor(alice).SendAsync(groupId, "mine now", clientId, fileIds: [aliceFile.Id]);
        Assert.Equal(SendOutcome.Sent, retry.Outcome);
        Assert.Equal([aliceFile.Id], retry.Message!.Files.Select(f => f.Id));
    }

    [Fact]
    public async Task DeletingTheMessage_StopsServingItsFiles_AndTheirBytesGoAfterTheGrace()
    {
        var (alice, _, groupId) = await GroupAsync("del");
        var client = await UploaderAsync(alice);
        var uploaded = await UploadOkAsync(client, groupId, "pic.png", TestImages.OnePixelPng);
        Assert.True(uploaded.Inline);
        var sent = (await app.ChatServiceFor(alice).SendAsync(groupId, "pic", Guid.NewGuid(), fileIds: [uploaded.Id])).Message!;

        Assert.True((await app.ServiceFor<MessageActions>(alice).DeleteAsync(groupId, sent.Id)).Succeeded);

        using var response = await client.Client.GetAsync(sent.Files.Single().Url, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty((await app.ChatServiceFor(alice).GetHistoryAsync(groupId)).Single(m => m.Id == sent.Id).Files);
        await Eventually.TrueAsync(async () =>
        {
            await app.Services.GetRequiredService<FileWorker>().DoDueAsync(Cancel);
            await using var db = await app.CreateDbContextAsync();
            return !await db.Files.AnyAsync(f => f.Id == uploaded.Id, Cancel);
        }, because: "the purge removes the row after the (zero) grace");
        Assert.Null(await app.Services.GetRequiredService<IFileStore>().OpenReadAsync(FileKeys.Original(uploaded.Id), Cancel));
    }

    [Fact]
    public async Task Upload_NeverSent_IsDeletedAfterItsLifetime()
    {
        var (alice, _, groupId) = await GroupAsync("exp");
        var uploaded = await UploadOkAsync(await UploaderAsync(alice), groupId, "later.txt", "later"u8.ToArray());

        await Eventually.TrueAsync(async () =>
        {
            await app.Services.GetRequiredService<FileWorker>().DoDueAsync(Cancel);
            await using var db = await app.CreateDbContextAsync();
            return !await db.Files.AnyAsync(f => f.Id == uploaded.Id, Cancel);
        }, timeout: TimeSpan.FromSeconds(30), because: "the unsent upload expires, then is purged");

        var late = await app.ChatServiceFor(alice).SendAsync(groupId, "too late", Guid.NewGuid(), fileIds: [uploaded.Id]);
        Assert.Equal(SendOutcome.FileGone, late.Outcome);
    }

    [Fact]
    public async Task Thumbnail_OfASentImage_ChangesItsMessageOnEveryPage()
    {
        var (alice, bob, groupId) = await GroupAsync("thumb");
        var client = await UploaderAsync(alice);
        var uploaded = await UploadOkAsync(client, groupId, "dot.png", TestImages.OnePixelPng);
        var sent = (await app.ChatServiceFor(alice).SendAsync(groupId, "", Guid.NewGuid(), fileIds: [uploaded.Id])).Message!;

        var shown = await Eventually.GetAsync(async () =>
        {
            await app.Services.GetRequiredService<FileWorker>().DoDueAsync(Cancel);
            return (await app.ChatServiceFor(bob).GetChangesAfterAsync(groupId, sent.ChangeSeq)).SingleOrDefault(m => m.Id == sent.Id);
        }, m => m is not null, because: "the thumbnail changes the message, so catch-up brings it");

        Assert.True(shown!.Files.Single().ThumbnailReady);
        Assert.True(shown.ChangeSeq > sent.ChangeSeq);
        using var thumbnail = await client.Client.GetAsync(shown.Files.Single().ThumbnailUrl, Cancel);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Admin_SeesStoragePerPerson_AndRemovesAFile_WhichLeavesItsMessageOnEveryPageAndIsAudited()
    {
        var (alice, bob, groupId) = await GroupAsync("adm");
        var admin = await app.CreateAdminAsync("adm-root");
        var kept = await app.UploadAsync(alice, groupId, "kept.txt", new byte[300]);
        var removed = await app.UploadAsync(alice, groupId, "removed.txt", new byte[200]);
        var sent = (await app.ChatServiceFor(alice).SendAsync(groupId, "two files", Guid.NewGuid(), fileIds: [kept.File!.Id, removed.File!.Id])).Message!;
        var files = app.ServiceFor<DuckChat.Web.Admin.FileAdministration>(admin);

        var storage = (await files.QueryStorageAsync(0, 100)).Items.Single(r => r.UserId == alice.Id);
        Assert.Equal((500L, 2), (storage.Bytes, storage.Files));
        Assert.Equal([removed.File.Id, kept.File.Id], (await files.QueryFilesAsync(alice.UserName, 0, 10)).Items.Select(f => f.Id).OrderBy(id => id == kept.File.Id));

        var bus = new RecordingBus();
        var result = await app.ServiceFor<DuckChat.Web.Admin.FileAdministration>(admin, bus).RemoveFileAsync(removed.File.Id, "leaked a secret");

        Assert.True(result.Succeeded);
        var shown = (await app.ChatServiceFor(bob).GetHistoryAsync(groupId)).Single(m => m.Id == sent.Id);
        Assert.Equal([kept.File.Id], shown.Files.Select(f => f.Id));
        Assert.True(shown.ChangeSeq > sent.ChangeSeq);
        Assert.Contains(bus.Published, p => p.Topic == Topics.Chat(groupId) && p.Event is MessageChanged { Message.Files.Count: 1 });
        await using var db = await app.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "Remove file" && e.TargetId == removed.File.Id && e.ActorId == admin.Id, Cancel));
        Assert.Equal(300L, (await files.QueryStorageAsync(0, 100)).Items.Single(r => r.UserId == alice.Id).Bytes);
    }

    private async Task<(ApplicationUser Alice, ApplicationUser Bob, int GroupId)> GroupAsync(string prefix)
    {
        var alice = await app.CreateUserAsync($"{prefix}-alice");
        var bob = await app.CreateUserAsync($"{prefix}-bob");
        var created = await app.ServiceFor<GroupService>(alice).CreateAsync($"{prefix} team", [bob.Id]);
        return (alice, bob, created.ChatId);
    }

    /// <summary>A signed-in client with the antiforgery token a page of theirs carries, as the composer has it.</summary>
    private async Task<Uploader> UploaderAsync(ApplicationUser user)
    {
        var client = await app.SignedInClientAsync(user.UserName!);
        var page = await client.GetStringAsync("/Identity/Account/Manage", Cancel);
        return new Uploader(client, AntiforgeryToken().Match(page).Groups[1].Value);
    }

    private static HttpRequestMessage Request(Uploader uploader, int chatId, string name, byte[] bytes) =>
        Request(uploader, chatId, name, new MemoryStream(bytes), bytes.Length);

    private static HttpRequestMessage Request(Uploader uploader, int chatId, string name, Stream body, long length)
    {
        var content = new StreamContent(body);
        content.Headers.ContentLength = length;
        var request = new HttpRequestMessage(HttpMethod.Post, FileUrls.Upload(chatId)) { Content = content };
        request.Headers.Add("X-File-Name", Uri.EscapeDataString(name));
        request.Headers.Add("RequestVerificationToken", uploader.Token);
        return request;
    }

    private static async Task<HttpResponseMessage> SendUploadAsync(Uploader uploader, int chatId, string name, byte[] bytes)
    {
        using var request = Request(uploader, chatId, name, bytes);
        return await uploader.Client.SendAsync(request, Cancel);
    }

    private static async Task<Uploaded> UploadOkAsync(Uploader uploader, int chatId, string name, byte[] bytes)
    {
        using var response = await SendUploadAsync(uploader, chatId, name, bytes);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<Uploaded>(Json, Cancel))!;
    }

    private static async Task<(HttpStatusCode, UploadError)> UploadFailsAsync(Uploader uploader, int chatId, string name, byte[] bytes)
    {
        using var response = await SendUploadAsync(uploader, chatId, name, bytes);
        var refusal = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
        Assert.False(string.IsNullOrWhiteSpace(refusal.GetProperty("message").GetString()));
        return (response.StatusCode, Enum.Parse<UploadError>(refusal.GetProperty("error").GetString()!));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Uploader(HttpClient Client, string Token);

    private sealed record Uploaded(string Id, string Name, long Size, string ContentType, bool Inline);

    /// <summary>A body that gives <paramref name="first"/> bytes, then waits (the upload stalls half-way) and ends early.</summary>
    private sealed class HalfThenWait(int first, Task release) : Stream
    {
        private int _given;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_given >= first)
            {
                await release.WaitAsync(cancellationToken);
                return 0;
            }

            var count = Math.Min(buffer.Length, first - _given);
            buffer.Span[..count].Fill(7);
            _given += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _given; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
