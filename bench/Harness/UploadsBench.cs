using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DuckChat.Bench.Circuits;
using DuckChat.Web.Files;
using SkiaSharp;

namespace DuckChat.Bench.Harness;

/// <summary>
/// Uploads (issue 18) to DuckChat on its disk store, as the composer posts them: the raw bytes to POST /files?chat=N
/// with their length, the file's name and the page's antiforgery token, from a signed-in person. One person uploads a
/// generated file (25 MiB) once to warm up, then N times one after another: MiB/s and the server's CPU per upload.
/// Then one JPEG of a camera's size: until it is stored, and until its thumbnail is served. Then the server's memory:
/// idle, then while as many people each upload a file at once (VmRSS every 50 ms, and the kernel's peak), then after.
/// If the server streams, its peak grows by a small part of the bytes in flight; if it buffered, by all of them.
/// </summary>
public static class UploadsBench
{
    public const double Mebibyte = 1024 * 1024;

    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan ThumbnailPollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>Time for the work behind the last upload (its thumbnail, the write queue) to finish before memory is measured.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ThumbnailTimeout = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A person with the token their page carries, as the composer has it.</summary>
    private sealed record Uploader(SignedInAccount Account, string Token);

    /// <summary>The part of the endpoint's answer the bench reads.</summary>
    private sealed record Uploaded(string Id, string ContentType, bool Inline);

    public static async Task<UploadsRun> RunAsync(BenchOptions options, string workDirectory, TextWriter log)
    {
        var fileBytes = (long)(options.UploadMebibytes * Mebibyte);
        var jpeg = options.UploadImageWidth > 0 ? Jpeg(options.UploadImageWidth, options.UploadImageHeight) : null;
        var people = Math.Max(1, options.ParallelUploads);
        var database = await BenchDatabase.CreateAsync(Path.Combine(workDirectory, "uploads", "template", BenchDatabase.FileName), people, [0]);
        var dataDirectory = Path.Combine(workDirectory, "uploads", "run");
        database.CopyTo(dataDirectory);
        await using var server = await ServerProcess.StartAsync(ServerKind.DuckChat, options, dataDirectory);
        var chat = database.ChatIds[0];
        var uploaders = new List<Uploader>();
        try
        {
            foreach (var user in database.Users)
            {
                var account = await SignedInAccount.SignInAsync(new Uri(server.BaseUrl), user.UserName, BenchDatabase.Password, CancellationToken.None);
                uploaders.Add(new Uploader(account, await account.RequestVerificationTokenAsync(CancellationToken.None)));
            }

            var rssBeforeUploads = server.RssBytes();
            var warmup = await PostAsync(server, uploaders[0], chat, "warm-up.bin", new GeneratedFile(fileBytes));
            log.WriteLine($"Uploads: warm-up {fileBytes / Mebibyte:N0} MiB stored as {warmup.ContentType}");
            var timings = new List<UploadTiming>();
            for (var i = 0; i < options.Uploads; i++)
            {
                var cpu = server.CpuSeconds();
                var clock = Stopwatch.StartNew();
                await PostAsync(server, uploaders[0], chat, $"file-{i}.bin", new GeneratedFile(fileBytes));
                var timing = new UploadTiming(fileBytes, clock.Elapsed.TotalSeconds, server.CpuSeconds() - cpu);
                log.WriteLine($"Uploads: file {i + 1}/{options.Uploads} in {timing.Seconds * 1000:N0} ms ({timing.MebibytesPerSecond:N0} MiB/s), server CPU {timing.ServerCpuSeconds * 1000:N0} ms");
                timings.Add(timing);
            }

            var image = jpeg is null ? null : await ImageAsync(server, uploaders[0], chat, jpeg, options.UploadImageWidth, options.UploadImageHeight, log);
            var memory = await MemoryAsync(server, uploaders.Take(options.ParallelUploads).ToList(), chat, fileBytes, log);
            return new UploadsRun(fileBytes, rssBeforeUploads, timings, image, memory);
        }
        finally
        {
            uploaders.ForEach(u => u.Account.Dispose());
        }
    }

    private static async Task<ImageUpload> ImageAsync(ServerProcess server, Uploader uploader, int chat, byte[] jpeg, int width, int height, TextWriter log)
    {
        var cpu = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var uploaded = await PostAsync(server, uploader, chat, "photo.jpg", new MemoryStream(jpeg));
        var stored = clock.Elapsed;
        if (!uploaded.Inline)
        {
            throw new InvalidOperationException($"The JPEG was stored as {uploaded.ContentType}, not as an image.");
        }

        while (true)
        {
            using var response = await uploader.Account.Http.GetAsync(FileUrls.Thumbnail(uploaded.Id), HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            if (response.StatusCode != HttpStatusCode.NotFound || clock.Elapsed > ThumbnailTimeout)
            {
                throw new InvalidOperationException($"The thumbnail was not served within {ThumbnailTimeout.TotalSeconds:N0} s: {(int)response.StatusCode}");
            }

            await Task.Delay(ThumbnailPollEvery);
        }

        var image = new ImageUpload(width, height, jpeg.Length, stored.TotalMilliseconds, clock.Elapsed.TotalMilliseconds, server.CpuSeconds() - cpu);
        log.WriteLine($"Uploads: JPEG {width}×{height} ({jpeg.Length / Mebibyte:N1} MiB) stored in {image.StoredMs:N0} ms, thumbnail served at {image.ThumbnailMs:N0} ms");
        return image;
    }

    private static async Task<UploadMemory> MemoryAsync(ServerProcess server, List<Uploader> uploaders, int chat, long fileBytes, TextWriter log)
    {
        await Task.Delay(Settle);
        var idleHeap = await server.HeapBytesAsync();
        var idleRss = server.RssBytes();
        server.ResetPeakRss();
        using var stop = new CancellationTokenSource();
        var sampling = SampleRssAsync(server, stop.Token);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(uploaders.Select((u, i) => PostAsync(server, u, chat, $"parallel-{i}.bin", new GeneratedFile(fileBytes))));
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var samples = await sampling;
        var memory = new UploadMemory(uploaders.Count, fileBytes, seconds, idleHeap, idleRss, samples, server.PeakRssBytes(), await server.HeapBytesAsync(), server.RssBytes());
        log.WriteLine($"Uploads: {memory.Uploads} at once in {seconds:N1} s: RSS idle {idleRss / Mebibyte:N1} MiB, peak {memory.PeakRssBytes / Mebibyte:N1} MiB " +
                      $"(+{memory.PeakGrowthBytes / Mebibyte:N1} MiB, {memory.GrowthShareOfBytesInFlight:P1} of {memory.BytesInFlight / Mebibyte:N0} MiB in flight); " +
                      $"heap idle {idleHeap / Mebibyte:N1} MiB, after {memory.HeapAfterBytes / Mebibyte:N1} MiB");
        return memory;
    }

    /// <summary>The server's VmRSS now and every <see cref="SampleEvery"/> until stopped, then once more.</summary>
    private static async Task<List<RssSample>> SampleRssAsync(ServerProcess server, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var samples = new List<RssSample> { new(0, server.RssBytes()) };
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                samples.Add(new RssSample(clock.Elapsed.TotalMilliseconds, server.RssBytes()));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            samples.Add(new RssSample(clock.Elapsed.TotalMilliseconds, server.RssBytes()));
        }

        return samples;
    }

    /// <summary>Posts a file as the composer does (a same-origin request from the chat page); throws unless it is stored.</summary>
    private static async Task<Uploaded> PostAsync(ServerProcess server, Uploader uploader, int chat, string name, Stream body)
    {
        using var content = new StreamContent(body);
        content.Headers.ContentLength = body.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, FileUrls.Upload(chat)) { Content = content };
        request.Headers.Add("X-File-Name", Uri.EscapeDataString(name));
        request.Headers.Add("RequestVerificationToken", uploader.Token);
        request.Headers.Add("Origin", server.BaseUrl);
        using var response = await uploader.Account.Http.SendAsync(request);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<Uploaded>(Json))!
            : throw new InvalidOperationException($"Uploading {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A JPEG the size a camera's is: a gradient with grain on every pixel, which JPEG cannot squeeze away as it would a
    /// drawing's flat colours, so the file, its decoding and its thumbnail cost what a photo's do.
    /// </summary>
    private static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [SKColors.SkyBlue, SKColors.OliveDrab, SKColors.SaddleBrown], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
        }

        using var pixmap = bitmap.PeekPixels();
        var pixels = pixmap.GetPixelSpan<byte>();
        var grain = new byte[pixels.Length];
        new Random(18).NextBytes(grain);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp(pixels[i] + (grain[i] & 31) - 16, 0, 255);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
