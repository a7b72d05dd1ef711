using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DuckChat.Web.Configuration;

namespace DuckChat.Web.Files.Storage;

/// <summary>
/// Keeps files in a bucket of an S3-compatible object store (DuckChat:Files:S3), which every instance shares. It uses only
/// basic calls, addressed path-style and signed with SigV4, and sends checksums only where the protocol requires them:
/// the SDK's default CRC checksums are refused by many compatible servers. Bytes stream through in both directions
/// (uploads are signed chunk by chunk as they pass, SigV4's streaming form, so none is held to be hashed first).
/// </summary>
public sealed class S3FileStore(S3StoreOptions options, ILogger<S3FileStore> logger) : IFileStore, IDisposable
{
    /// <summary>
    /// Files up to this size go up in one PUT, bigger ones in parts of this size: no request carries more, and S3 takes
    /// neither a single PUT over 5 GiB nor parts under 5 MiB.
    /// </summary>
    public const long PartSize = 16 * 1024 * 1024;

    /// <summary>A store that does not answer within this is reported as unreachable rather than keeping readiness waiting.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long cleaning up after a failed upload may take, whatever cancelled the upload itself.</summary>
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bucket = options.Bucket!;

    /// <summary>Everything but uploads: calls the SDK may retry when the store stumbles.</summary>
    private readonly AmazonS3Client _client = CreateClient(options, forUploads: false);

    /// <summary>
    /// Uploads: read once from the person's connection, so never retried, and as slow as that connection, so not timed
    /// out by the SDK (the caller's cancellation ends them).
    /// </summary>
    private readonly AmazonS3Client _uploads = CreateClient(options, forUploads: true);

    private volatile bool _bucketReady;

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken)
    {
        if (!_bucketReady)
        {
            await MakeBucketReadyAsync(cancellationToken);
        }

        var body = new UploadBody(content, length);
        if (length <= PartSize)
        {
            await _uploads.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket, Key = key, ContentType = contentType, InputStream = body.Next(length), AutoCloseStream = false,
            }, cancellationToken);
            return;
        }

        await PutInPartsAsync(key, body, contentType, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, cancellationToken);
            return new S3ObjectStream(_client, _bucket, key, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // S3 answers 204 for a missing key; some compatible servers answer 404. Either way it is gone.
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        await MakeBucketReadyAsync(timeout.Token);
    }

    public void Dispose()
    {
        _client.Dispose();
        _uploads.Dispose();
    }

    /// <summary>
    /// Creates the bucket when it is not there, so a new deployment needs no step of its own. Asked first, so keys that
    /// may not create buckets work on a bucket made for them; an instance that creates it at the same time is no error.
    /// </summary>
    private async Task MakeBucketReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket, UseClientRegion = false }, cancellationToken);
                logger.LogInformation("Created the file store's bucket {Bucket}.", _bucket);
            }
            catch (AmazonS3Exception created) when (created.ErrorCode == "BucketAlreadyOwnedByYou")
            {
            }
        }

        _bucketReady = true;
    }

    /// <summary>A multipart upload, streamed part by part; on any failure it is aborted, so no part is kept or shown.</summary>
    private async Task PutInPartsAsync(string key, UploadBody body, string contentType, CancellationToken cancellationToken)
    {
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key, ContentType = contentType }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (var number = 1; body.Remaining > 0; number++)
            {
                var size = Math.Min(PartSize, body.Remaining);
                var part = await _uploads.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, PartSize = size,
                    InputStream = body.Next(size), IsLastPart = body.Remaining == 0,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await AbortAsync(key, upload.UploadId);
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e)
        {
            // Whatever went wrong here, the upload's own failure is what the caller hears. The parts are never readable
            // as an object; a bucket lifecycle rule removes them (README, Files).
            logger.LogWarning(e, "Could not abort the failed upload of {Key}; its parts stay in the bucket until a lifecycle rule removes them.", key);
        }
    }

    private static AmazonS3Client CreateClient(S3StoreOptions options, bool forUploads)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            AuthenticationRegion = options.Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            ConnectTimeout = ConnectTimeout,
            MaxErrorRetry = forUploads ? 0 : 2,
        };
        if (forUploads)
        {
            config.Timeout = Timeout.InfiniteTimeSpan;
        }

        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
