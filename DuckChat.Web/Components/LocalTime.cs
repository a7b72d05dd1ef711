namespace DuckChat.Web.Components;

/// <summary>Times as the reader expects them: in their browser's time zone (UTC until the browser has said which).</summary>
public static class LocalTime
{
    public static string Format(DateTime utc, TimeZoneInfo? zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone ?? TimeZoneInfo.Utc);
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone ?? TimeZoneInfo.Utc).Date;
        return local.Date == today ? local.ToString("HH:mm") : local.ToString("d MMM HH:mm");
    }

    public static TimeZoneInfo Find(string? ianaId) =>
        ianaId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;
}
