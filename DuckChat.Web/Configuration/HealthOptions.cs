using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public sealed class HealthOptions
{
    /// <summary>
    /// How long a readiness answer is reused. Within it, every caller gets the last probe's answer and the database
    /// is not asked again; zero probes on every call (callers that arrive while a probe runs still share it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "must be between 00:00:00 and 00:01:00.")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(2);
}
