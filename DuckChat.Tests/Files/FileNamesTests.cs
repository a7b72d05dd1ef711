using DuckChat.Web.Files;

namespace DuckChat.Tests.Files;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\report.pdf", "report.pdf")]
    [InlineData("a\u0000b\u0007c\r\n.txt", "abc .txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("zero\u200Bwidth.png", "zerowidth.png")]
    [InlineData("what?<is>:this*|\".txt", "whatisthis.txt")]
    [InlineData("  ..hidden.  ", "hidden")]
    [InlineData("", FileNames.Fallback)]
    [InlineData(null, FileNames.Fallback)]
    [InlineData("/", FileNames.Fallback)]
    [InlineData("\u202E", FileNames.Fallback)]
    [InlineData("tab\there  and\u00A0there.txt", "tab here and there.txt")]
    [InlineData("e\u0301te\u0301.txt", "\u00E9t\u00E9.txt")]
    public void Sanitize_KeepsOnlyASafeLastSegment(string? sent, string expected) =>
        Assert.Equal(expected, FileNames.Sanitize(sent));

    [Fact]
    public void Sanitize_OfAThousandCharacterName_CutsItKeepingTheExtension()
    {
        var name = FileNames.Sanitize(new string('a', 1000) + ".tar.gz");

        Assert.Equal(ChatFile.NameMaxLength, name.Length);
        Assert.EndsWith("aaa.gz", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_NeverCutsACharacterInHalf()
    {
        var name = FileNames.Sanitize(string.Concat(Enumerable.Repeat("🦆", 400)) + ".png");

        Assert.True(name.Length <= ChatFile.NameMaxLength);
        Assert.EndsWith("🦆.png", name, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', name);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }

    [Theory]
    [InlineData("photo.JPG", ".jpg")]
    [InlineData("archive.tar.gz", ".gz")]
    [InlineData("README", "")]
    [InlineData("odd.averyveryverylongextension", "")]
    public void ExtensionOf_IsLowerCaseWithItsDot(string name, string expected) =>
        Assert.Equal(expected, FileNames.ExtensionOf(name));
}
