using DuckChat.Web.Chats;

namespace DuckChat.Tests.Chats;

public sealed class AvatarTests
{
    [Fact]
    public void Colour_IsTheSameForAUsernameEveryTime_WhateverItsCase()
    {
        // Pinned: the colour must not change between processes or servers (string.GetHashCode would).
        Assert.Equal(Fnv1aIndex("alice"), Avatar.ColorIndex("alice"));
        Assert.Equal(Avatar.ColorIndex("alice"), Avatar.ColorIndex("ALICE"));
    }

    [Fact]
    public void Colours_SpreadOverThePalette()
    {
        var used = Enumerable.Range(0, 200).Select(i => Avatar.ColorIndex($"user{i}")).Distinct().Count();

        Assert.Equal(Avatar.Palette.Count, used);
    }

    [Fact]
    public void EveryColour_CarriesWhiteInitials_AtAContrastOfAtLeast4_5()
    {
        Assert.All(Avatar.Palette, colour => Assert.True(ContrastWithWhite(colour) >= 4.5, $"{colour}: {ContrastWithWhite(colour):0.00}"));
    }

    [Theory]
    [InlineData("alice", "A")]
    [InlineData("carol.smith", "CS")]
    [InlineData("addr_three", "AT")]
    [InlineData("élodie-martin", "ÉM")]
    [InlineData("...", "?")]
    public void Initials_AreTheFirstLettersOfTheNamesParts(string userName, string initials) =>
        Assert.Equal(initials, Avatar.Initials(userName));

    private static int Fnv1aIndex(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)Avatar.Palette.Count);
    }

    // WCAG 2 relative luminance; white's is 1.
    private static double ContrastWithWhite(string hex)
    {
        static double Channel(string hex, int at)
        {
            var c = Convert.ToInt32(hex.Substring(at, 2), 16) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var luminance = 0.2126 * Channel(hex, 1) + 0.7152 * Channel(hex, 3) + 0.0722 * Channel(hex, 5);
        return 1.05 / (luminance + 0.05);
    }
}
