using System.Globalization;
using DuckChat.Web.Presence;
using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Chats;

/// <summary>
/// A person's initials on a colour of their own. The colour comes from a fixed hash of the username (not
/// string.GetHashCode, which differs between processes), so everybody sees the same person in the same colour on
/// every page and server. The palette's colours all carry white text at a contrast of at least 4.5:1, so they read
/// the same in light and dark mode.
/// </summary>
public static class Avatar
{
    /// <summary>Background colours, each dark enough for white initials.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#c62828", "#ad1457", "#6a1b9a", "#4527a0", "#283593", "#1565c0", "#00695c", "#2e7d32", "#8d4e0f", "#4e5b31", "#5d4037", "#455a64"];

    private static readonly string[] Styles = Palette.Select(c => $"background-color:{c}").ToArray();

    /// <summary>Which palette colour belongs to <paramref name="userName"/> (FNV-1a over its lower-case form).</summary>
    public static int ColorIndex(string userName)
    {
        var hash = 2166136261u;
        foreach (var c in userName.ToLowerInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)Palette.Count);
    }

    /// <summary>Up to two letters: the first of the name's first two parts ("carol.smith" → "CS"), else its first.</summary>
    public static string Initials(string userName)
    {
        var parts = userName.Split(['.', '-', '_', ' '], 3, StringSplitOptions.RemoveEmptyEntries);
        var initials = parts.Length switch
        {
            0 => "?",
            1 => First(parts[0]),
            _ => First(parts[0]) + First(parts[1]),
        };
        return initials.ToUpperInvariant();

        // A whole letter, even one written with several chars (an accent, a surrogate pair).
        static string First(string part) => part[..StringInfo.GetNextTextElementLength(part)];
    }

    /// <summary>
    /// The avatar's markup: decoration beside the name it stands for, so assistive technology skips it, with a dot at
    /// its corner for a person online or away (whoever shows it says so in words too: <see cref="PresenceMarks"/>).
    /// </summary>
    public static RenderFragment For(string userName, PresenceState presence = PresenceState.Offline) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "avatar");
        builder.AddAttribute(2, "style", Styles[ColorIndex(userName)]);
        builder.AddAttribute(3, "aria-hidden", "true");
        builder.AddContent(4, Initials(userName));
        if (presence != PresenceState.Offline)
        {
            builder.OpenElement(5, "span");
            builder.AddAttribute(6, "class", "presence-dot");
            builder.AddAttribute(7, "data-presence", PresenceMarks.Name(presence));
            builder.CloseElement();
        }

        builder.CloseElement();
    };
}
