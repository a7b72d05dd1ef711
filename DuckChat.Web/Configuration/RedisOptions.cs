using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

/// <summary>
/// Redis for running several instances: events cross instances over pub/sub and the data-protection key ring is
/// shared, so a cookie from one instance works on another. Empty <see cref="Configuration"/> means one instance,
/// events in-process only.
/// </summary>
public sealed class RedisOptions : IValidatableObject
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379</c> or <c>redis:6379,password=...,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of DuckChat's Redis channel and keys, so several deployments can share one Redis.</summary>
    [RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = "must be 1 to 64 letters, digits or _ . : -")]
    public string KeyPrefix { get; set; } = "duckchat";

    /// <summary>
    /// How long an event that Redis did not take may wait to be published again, in order. Past it, every waiting
    /// event is given up and the other instances are told to re-read from the database instead: a late event could
    /// overwrite something newer there (an edit, a read position, a preference).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be between 00:00:00 and 01:00:00.")]
    public TimeSpan ResendWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most events waiting for Redis; one more and every waiting event is given up as above (the memory they take is bounded).</summary>
    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000 events.")]
    public int MaxQueuedEvents { get; set; } = 10_000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        string? problem = null;
        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(Configuration!);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"is not a Redis configuration string: {problem}", [nameof(Configuration)]);
        }
    }
}
