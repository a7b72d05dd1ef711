using System.Globalization;

namespace DuckChat.Web.Components;

/// <summary>Times as the reader expects them: in their browser's time zone (UTC until the browser has said which).</summary>
public static class LocalTime
{
    public static string Format(DateTime utc, TimeZoneInfo? zone)
    {
        var local = ToLocal(utc, zone);
        return local.Date == Today(zone).ToDateTime(TimeOnly.MinValue) ? local.ToString("HH:mm") : local.ToString("d MMM HH:mm");
    }

    /// <summary>The time of day alone, for a row under its day's separator.</summary>
    public static string Clock(DateTime utc, TimeZoneInfo? zone) => ToLocal(utc, zone).ToString("HH:mm");

    /// <summary>The full date and time, for a title that says exactly when.</summary>
    public static string Full(DateTime utc, TimeZoneInfo? zone) => ToLocal(utc, zone).ToString("d MMMM yyyy HH:mm");

    /// <summary>The reader's calendar day of an instant.</summary>
    public static DateOnly Day(DateTime utc, TimeZoneInfo? zone) => DateOnly.FromDateTime(ToLocal(utc, zone));

    /// <summary>The reader's today.</summary>
    public static DateOnly Today(TimeZoneInfo? zone) => Day(DateTime.UtcNow, zone);

    /// <summary>A day as a separator names it: "Today", "Yesterday", else the date (with the year when not this one).</summary>
    public static string DayLabel(DateOnly day, DateOnly today) =>
        day == today ? "Today"
        : day == today.AddDays(-1) ? "Yesterday"
        : day.ToString(day.Year == today.Year ? "dddd, d MMMM" : "dddd, d MMMM yyyy", CultureInfo.InvariantCulture);

    public static TimeZoneInfo Find(string? ianaId) =>
        ianaId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;

    private static DateTime ToLocal(DateTime utc, TimeZoneInfo? zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone ?? TimeZoneInfo.Utc);
}
