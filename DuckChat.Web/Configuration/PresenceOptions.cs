using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

/// <summary>Who is around (presence) and who is typing: how soon people count as away, and how long signals last.</summary>
public sealed class PresenceOptions
{
    /// <summary>
    /// A visible, focused tab with no keyboard, mouse or touch input for this long stops counting as looked at (the
    /// browser judges it and reports the change).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "must be between 00:00:05 and 1.00:00:00.")]
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a person still shows as online after the last of their tabs stopped being looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// With several instances: how long an instance's presence lasts without its heartbeat (sent every third of this),
    /// so the people of an instance that died go offline on the others within this and a third.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "must be between 00:00:01 and 00:10:00.")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Most typing signals a person sends for one chat: one per this long (the browser paces itself, the server enforces it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "must be between 00:00:01 and 00:01:00.")]
    public TimeSpan TypingSignalEvery { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long "is typing" shows after a person's last signal (their message ends it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "must be between 00:00:01 and 00:01:00.")]
    public TimeSpan TypingShownFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the tracker looks for people whose grace has passed and instances whose heartbeat stopped.</summary>
    public TimeSpan SweepEvery => Expiry / 3;
}
