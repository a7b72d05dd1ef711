using System.Security.Cryptography;
using DuckChat.Web.Accounts;

namespace DuckChat.Tests.Accounts;

public sealed class UserNameSkeletonTests
{
    // The vendored data, pinned: replacing or editing the file must come with a change here (and a key backfill).
    private const string PinnedVersion = "13.0.0";
    private const int PinnedCount = 6311;
    private const string PinnedSha256 = "2fb1ef5aa83ace3438c1cbd6f2fd413cd62ab20906b6101511eb5db11e70ae1c";

    [Theory]
    [InlineData("b\u0585b", "bob")] // Armenian small oh
    [InlineData("\u0251lice", "alice")] // IPA alpha
    [InlineData("\u0430lice", "alice")] // Cyrillic а
    [InlineData("ａｌｉｃｅ", "alice")] // full-width, folded by form KC
    [InlineData("Alice", "alice")] // case
    [InlineData("ALICE", "alice")]
    [InlineData("\U0001D41Alice", "alice")] // Mathematical Bold 𝐚, folded by form KC
    [InlineData("\U00010301ob", "bob")] // Old Italic 𐌁: form KC keeps it, the data maps it to B
    [InlineData("\U0001043Dat", "cat")] // Deseret small chee: its capital has no mapping, the small letter does
    [InlineData("b\u0555b", "bob")] // Armenian capital oh
    [InlineData("b0b", "bob")] // the data maps 0 to O, not o: only the key's last upper-casing joins them
    public void LookAlikeNames_ShareAKey(string lookAlike, string original) =>
        Assert.Equal(UserNameSkeleton.Of(original), UserNameSkeleton.Of(lookAlike));

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("anna", "anne")]
    [InlineData("dave", "dove")]
    public void DifferentNames_HaveDifferentKeys(string one, string other) =>
        Assert.NotEqual(UserNameSkeleton.Of(one), UserNameSkeleton.Of(other));

    [Fact]
    public void RnAndM_ShareASkeleton_AsTheDataMapsMToRn()
    {
        Assert.Equal("rn", UserNameSkeleton.Skeleton("m"));
        Assert.Equal(UserNameSkeleton.Of("modern"), UserNameSkeleton.Of("rnodern"));
        Assert.Equal(UserNameSkeleton.Of("MODERN"), UserNameSkeleton.Of("rnodern"));
    }

    [Fact]
    public void SmallL_DigitOne_CapitalI_ShareASkeleton_AsTheDataMapsThemToL()
    {
        Assert.Equal("l", UserNameSkeleton.Skeleton("l"));
        Assert.Equal("l", UserNameSkeleton.Skeleton("1"));
        Assert.Equal("l", UserNameSkeleton.Skeleton("I"));
        Assert.Equal("l", UserNameSkeleton.Skeleton("|"));
        Assert.Equal("i", UserNameSkeleton.Skeleton("i"));
    }

    [Theory]
    [InlineData("pauI")]
    [InlineData("pau1")]
    [InlineData("PAUL")]
    [InlineData("paui")] // the price of ignoring case: "pauI" is "paui" to Identity, and it looks like "paul"
    public void CapitalIAndDigitOne_ShareAKeyWithL(string lookAlike) =>
        Assert.Equal(UserNameSkeleton.Of("paul"), UserNameSkeleton.Of(lookAlike));

    [Fact]
    public void SupplementaryLetter_MapsToItsPrototype()
    {
        Assert.Equal("alice", UserNameSkeleton.Skeleton("\U0001D41Alice"));
        Assert.Equal("xBx", UserNameSkeleton.Skeleton("x\U00010301x"));
    }

    [Fact]
    public void IllFormedUtf16_Throws() =>
        Assert.Throws<ArgumentException>(() => UserNameSkeleton.Of("b\uD800b")); // as Identity's normalizer does

    [Fact]
    public void Key_IsTheSameForEveryFormIdentityCountsAsOneName()
    {
        var normalizer = new UserNameNormalizer();
        string[] names = ["Straße", "STRASSE", "ǅemal", "ǆemal", "ΣΊΣΥΦΟΣ", "σίσυφος", "Ångström", "ångström", "İzmir", "ＩＺＭＩＲ"];

        foreach (var name in names)
        {
            foreach (var other in names.Where(other => normalizer.NormalizeName(other) == normalizer.NormalizeName(name)))
            {
                Assert.Equal(UserNameSkeleton.Of(name), UserNameSkeleton.Of(other));
            }
        }
    }

    [Fact]
    public void Skeleton_IsIdempotent()
    {
        foreach (var text in new[] { "b\u0585b", "\u0251lice", "modern", "pauI", "\U00010301ob", "Ångström", "ﷺ" })
        {
            var skeleton = UserNameSkeleton.Skeleton(text);
            Assert.Equal(skeleton, UserNameSkeleton.Skeleton(skeleton));
        }
    }

    [Fact]
    public void NothingToMap_ReturnsTheSameString()
    {
        const string name = "bob_the.duck-7";

        Assert.Same(name, UserNameSkeleton.Skeleton(name));
    }

    [Fact]
    public void VendoredData_IsThePinnedRelease_WithEveryMapping()
    {
        Assert.Equal(PinnedVersion, UserNameSkeleton.DataVersion);
        Assert.Equal(PinnedCount, UserNameSkeleton.MappedCharacters);
    }

    [Fact]
    public void VendoredData_IsUnchanged()
    {
        using var stream = OpenVendoredData();

        Assert.Equal(PinnedSha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static Stream OpenVendoredData() =>
        typeof(UserNameSkeleton).Assembly.GetManifestResourceStream("DuckChat.Web.Accounts.Data.confusables.json")
        ?? throw new InvalidOperationException("The confusables data is not embedded in DuckChat.Web.");
}
