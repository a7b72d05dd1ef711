using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Configuration;
using DuckChat.Web.Files.Storage;
using DuckChat.Web.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Files;

/// <summary>
/// What every file store promises (IFileStore), run against each store: the disk folder and an S3 bucket on a real
/// S3-protocol server. Each test has a store of its own (a fresh folder, a fresh bucket).
/// </summary>
public abstract class FileStoreTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected IFileStore Store { get; set; } = null!;

    /// <summary>Everything the store holds: kept objects and, where the store has them, unfinished uploads.</summary>
    protected abstract Task<IReadOnlyList<string>> LeftoversAsync();

    /// <summary>A working store of its own, and a way to make it unreachable.</summary>
    protected abstract Task<LosableStore> StoreToLoseAsync();

    public abstract ValueTask InitializeAsync();

    public abstract ValueTask DisposeAsync();

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(300_000L)]
    public async Task Put_ThenOpenRead_GivesTheSameBytes(long size)
    {
        await Store.PutAsync("file-a", new GeneratedStream(size), size, "application/octet-stream", Cancel);

        await using var read = await Store.OpenReadAsync("file-a", Cancel);

        Assert.NotNull(read);
        Assert.Equal(size, read.Length);
        await GeneratedStream.AssertHoldsAsync(read, from: 0, size);
    }

    [Fact]
    public async Task OpenRead_ThenSeek_ReadsFromThere_AsRangeRequestsDo()
    {
        const long size = 3 * MiB;
        await Store.PutAsync("file-b", new GeneratedStream(size), size, "application/octet-stream", Cancel);

        await using var read = await Store.OpenReadAsync("file-b", Cancel);

        Assert.NotNull(read);
        Assert.True(read.CanSeek);
        read.Seek(2_000_000, SeekOrigin.Begin);
        await GeneratedStream.AssertHoldsAsync(read, from: 2_000_000, 1000);
        read.Position = 5;
        await GeneratedStream.AssertHoldsAsync(read, from: 5, 10);
        read.Seek(-100, SeekOrigin.End);
        await GeneratedStream.AssertHoldsAsync(read, from: size - 100, 100);
        Assert.Equal(0, await read.ReadAsync(new byte[10], Cancel));
    }

    [Fact]
    public async Task OpenRead_MissingKey_IsNull()
    {
        Assert.Null(await Store.OpenReadAsync("never-stored", Cancel));
    }

    [Fact]
    public async Task Delete_RemovesTheKey_AndDeletingAgainIsNoError()
    {
        await Store.PutAsync("file-c", new GeneratedStream(100), 100, "text/plain", Cancel);

        await Store.DeleteAsync("file-c", Cancel);
        await Store.DeleteAsync("file-c", Cancel);
        await Store.DeleteAsync("never-stored", Cancel);

        Assert.Null(await Store.OpenReadAsync("file-c", Cancel));
        Assert.Empty(await LeftoversAsync());
    }

    [Theory]
    [InlineData(MiB, MiB / 2)] // one request
    [InlineData(20 * MiB, 18 * MiB)] // S3: a multipart upload whose first part is already stored
    public async Task Put_WhoseUploadFailsHalfway_LeavesNothing(long size, long failAt)
    {
        await Assert.ThrowsAsync<IOException>(() =>
            Store.PutAsync("file-d", new GeneratedStream(size, failAt), size, "application/octet-stream", Cancel));

        Assert.Null(await Store.OpenReadAsync("file-d", Cancel));
        Assert.Empty(await LeftoversAsync());
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(1L)]
    public async Task Put_WhoseUploadIsNotItsDeclaredLength_LeavesNothing(long difference)
    {
        const long declared = 200_000;

        await Assert.ThrowsAsync<IOException>(() =>
            Store.PutAsync("file-e", new GeneratedStream(declared + difference), declared, "application/octet-stream", Cancel));

        Assert.Null(await Store.OpenReadAsync("file-e", Cancel));
        Assert.Empty(await LeftoversAsync());
    }

    [Fact]
    public async Task Put_OfA30MiBFile_Streams_AllocatingFarLessThanTheFile()
    {
        const long size = 30 * MiB;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await Store.PutAsync("file-f", new GeneratedStream(size), size, "application/octet-stream", Cancel);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < size / 4, $"The put allocated {allocated / MiB} MiB for a {size / MiB} MiB file.");
        await using var read = await Store.OpenReadAsync("file-f", Cancel);
        Assert.NotNull(read);
        Assert.Equal(size, read.Length);
        await GeneratedStream.AssertHoldsAsync(read, from: 0, size);
    }

    [Fact]
    public async Task StoreLost_CheckThrows_AndReadinessTurnsDegradedOnceItsAnswerExpires()
    {
        await using var lost = await StoreToLoseAsync();
        var time = new FakeTimeProvider();
        var health = new FileStoreHealthCheck(lost.Store, Options.Create(new FilesOptions()),
            Options.Create(new HealthOptions { CacheFor = TimeSpan.FromSeconds(2) }), time);
        await lost.Store.CheckAsync(Cancel);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);

        lost.Lose();

        await Assert.ThrowsAnyAsync<Exception>(() => lost.Store.CheckAsync(Cancel));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);
    }

    /// <summary>A store a test can make unreachable, and what must be cleaned up after it.</summary>
    protected sealed record LosableStore(IFileStore Store, Action Lose, Func<ValueTask> CleanUp) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => CleanUp();
    }
}

public sealed class DiskFileStoreTests : FileStoreTests
{
    private readonly string _folder = TestPaths.NewTempDirectory("files");

    public override ValueTask InitializeAsync()
    {
        Store = new DiskFileStore(_folder);
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        TestPaths.DeleteQuietly(_folder);
        return ValueTask.CompletedTask;
    }

    protected override Task<IReadOnlyList<string>> LeftoversAsync() =>
        Task.FromResult<IReadOnlyList<string>>(Directory.GetFiles(_folder).Select(Path.GetFileName).ToList()!);

    protected override Task<LosableStore> StoreToLoseAsync()
    {
        var folder = TestPaths.NewTempDirectory("files-lost");
        return Task.FromResult(new LosableStore(new DiskFileStore(folder), () => Directory.Delete(folder, recursive: true), () =>
        {
            TestPaths.DeleteQuietly(folder);
            return ValueTask.CompletedTask;
        }));
    }
}

public sealed class S3FileStoreTests(S3ServerFixture server) : FileStoreTests, IClassFixture<S3ServerFixture>
{
    private readonly string _bucket = $"files-{Guid.NewGuid():N}";

    public override ValueTask InitializeAsync()
    {
        server.RequireServer();
        Store = new S3FileStore(server.StoreOptions(_bucket), NullLogger<S3FileStore>.Instance);
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Check_WithAWrongSecret_Throws()
    {
        using var wrong = new S3FileStore(server.StoreOptions(_bucket, secretKey: server.SecretKey + "x"), NullLogger<S3FileStore>.Instance);

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => wrong.CheckAsync(Cancel));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task StoreStopped_ReadinessIsDegraded_AndTextMessagesStillSend()
    {
        await using var own = new S3ServerFixture();
        await own.InitializeAsync();
        var settings = own.AppSettings(_bucket);
        settings["DuckChat:Health:CacheFor"] = "00:00:00";
        await using var app = DuckChatAppFactory.WithSettings(settings);
        var alice = await app.CreateUserAsync("s3-alice");
        await app.CreateUserAsync("s3-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("s3-bob")).ChatId;
        using var client = app.CreateHttpClient();
        Assert.Equal((System.Net.HttpStatusCode.OK, "Healthy", "Healthy"), await ReadinessAsync(client));

        own.Stop();

        Assert.Equal((System.Net.HttpStatusCode.OK, "Degraded", "Degraded"), await ReadinessAsync(client));
        Assert.True((await chats.SendAsync(chatId, "the store is away, the chat is not", Guid.NewGuid())).Succeeded);
        Assert.Single(await chats.GetHistoryAsync(chatId));

        // A file can't be kept meanwhile: the person is told so, and nothing of it is left to send.
        var upload = await app.UploadAsync(alice, chatId, "report.txt", "the report"u8.ToArray());
        Assert.Equal((null, DuckChat.Web.Files.UploadError.StoreUnavailable), (upload.File, upload.Error));
        Assert.False(string.IsNullOrWhiteSpace(upload.Message));
        await using var db = await app.CreateDbContextAsync();
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Files, f => f.State != DuckChat.Web.Files.FileState.Deleted, Cancel));
    }

    protected override async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        using var client = Client();
        var objects = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }, Cancel);
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket }, Cancel);
        return [.. (objects.S3Objects ?? []).Select(o => o.Key), .. (uploads.MultipartUploads ?? []).Select(u => $"unfinished upload of {u.Key}")];
    }

    protected override async Task<LosableStore> StoreToLoseAsync()
    {
        var own = new S3ServerFixture();
        await own.InitializeAsync();
        var store = new S3FileStore(own.StoreOptions(_bucket), NullLogger<S3FileStore>.Instance);
        return new LosableStore(store, own.Stop, () =>
        {
            store.Dispose();
            return own.DisposeAsync();
        });
    }

    private static async Task<(System.Net.HttpStatusCode, string?, string?)> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready", Cancel);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString(),
            body.RootElement.GetProperty("checks").GetProperty("files").GetProperty("status").GetString());
    }

    private AmazonS3Client Client() => new(new BasicAWSCredentials(server.AccessKey, server.SecretKey),
        new AmazonS3Config { ServiceURL = server.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
}
