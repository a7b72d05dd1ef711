using System.Globalization;
using System.Text;

namespace DuckChat.Bench.Harness;

/// <summary>The report's section for uploads (issue 18): throughput, the image and its thumbnail, memory while files upload at once.</summary>
public static class UploadsReport
{
    public static void Write(StringBuilder md, BenchReport report)
    {
        if (report.Uploads is not { } uploads)
        {
            return;
        }

        var mib = UploadsBench.Mebibyte;
        md.AppendLine("## Uploads (issue 18)");
        md.AppendLine();
        md.AppendLine("DuckChat on its disk store (the default). Each upload is what the composer sends: the raw bytes to `POST /files?chat=N` with " +
                      "their length, the name and the page's antiforgery token, from a person signed in over HTTP; the harness makes the bytes as " +
                      "they are sent (random, a plain binary file). Time from sending the request to the answer that the file is stored (received " +
                      "to a temporary file, sniffed, hashed, put in the store, its row saved); server CPU is utime+stime from /proc over the same " +
                      "time. 1 MiB = 1,048,576 bytes.");
        md.AppendLine();
        md.AppendLine("| upload | size | uploads | MiB/s median | MiB/s min | server CPU ms per upload, median |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| one person, one after another | {uploads.FileBytes / mib:N0} MiB | {uploads.Uploads.Count} (after 1 warm-up) | " +
            $"{uploads.MedianMebibytesPerSecond:N1} | {uploads.MinMebibytesPerSecond:N1} | {uploads.MedianServerCpuMs:N0} |");
        md.AppendLine();
        if (uploads.Image is { } image)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"An image: a JPEG made at the start of the run (gradient with grain on every pixel, quality 90), uploaded by the same person; " +
                          $"stored is the upload's answer (metadata removed), thumbnail when `GET /files/{{id}}/thumbnail` first answers 200 (polled every " +
                          $"{UploadsBench.ThumbnailPollEvery.TotalMilliseconds:N0} ms); both from sending the request.");
            md.AppendLine();
            md.AppendLine("| image | size | stored ms | thumbnail served ms | server CPU ms |");
            md.AppendLine("|---|---|---|---|---|");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| JPEG {image.Width}×{image.Height} | {image.Bytes / mib:N1} MiB | {image.StoredMs:N0} | {image.ThumbnailMs:N0} | {image.ServerCpuSeconds * 1000:N0} |");
        }
        else
        {
            md.AppendLine("No image was uploaded (`--upload-image 0x0`).");
        }

        md.AppendLine();
        var memory = uploads.Memory;
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Memory: after the uploads above and a {UploadsBench.Settle.TotalSeconds:N0} s pause, the idle server's managed heap (after a full blocking collection) and VmRSS; then " +
            $"{memory.Uploads} people each upload a {memory.FileBytes / mib:N0} MiB file at once, VmRSS read every {UploadsBench.SampleEvery.TotalMilliseconds:N0} ms ({memory.Samples.Count} samples) and the " +
            $"kernel's peak (VmHWM, reset just before); peak is the higher of the two. A server that streams grows by a small part of the bytes in flight; " +
            $"one that held whole files would grow by all of them. Before any upload (people signed in) its RSS was {uploads.RssBeforeUploadsBytes / mib:N1} MiB.");
        md.AppendLine();
        md.AppendLine("| uploads at once | MiB in flight | took s | MiB/s in all | RSS idle MiB | RSS peak MiB, sampled / VmHWM | peak growth MiB | growth ÷ in flight | RSS after MiB | heap idle / after MiB |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {memory.Uploads} | {memory.BytesInFlight / mib:N0} | {memory.Seconds:N1} | {memory.MebibytesPerSecond:N1} | {memory.IdleRssBytes / mib:N1} | " +
            $"{memory.Samples.Max(s => s.Bytes) / mib:N1} / {memory.HighWaterRssBytes / mib:N1} | **{memory.PeakGrowthBytes / mib:N1}** | **{memory.GrowthShareOfBytesInFlight:P1}** | " +
            $"{memory.RssAfterBytes / mib:N1} | {memory.IdleHeapBytes / mib:N1} / {memory.HeapAfterBytes / mib:N1} |");
        md.AppendLine();
    }
}
