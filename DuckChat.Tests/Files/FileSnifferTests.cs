using System.Text;
using DuckChat.Web.Files;
using SkiaSharp;

namespace DuckChat.Tests.Files;

public sealed class FileSnifferTests
{
    public static readonly TheoryData<string> HtmlFiles =
    [
        "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        "\uFEFF  \r\n\t<HTML lang=\"en\">",
        "<html>",
        "<script>fetch('/files')</script>",
        "<body onload=\"alert(1)\">",
        "<iframe src=\"https://evil.example\">",
        "<!-- a comment --><p>text</p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<TITLE>x</TITLE>",
    ];

    [Theory]
    [MemberData(nameof(HtmlFiles))]
    public void Html_IsHtmlAndNeverInline(string content)
    {
        Assert.Equal(new SniffedType(FileSniffer.Html, false), Sniff(content));
    }

    [Fact]
    public void PngNamedFileHoldingHtml_IsHtml()
    {
        // What the browser calls "shot.png" (name and type) never reaches the sniffer: only the bytes do.
        var bytes = Encoding.UTF8.GetBytes("\n<!doctype HTML>\n<title>shot.png</title><script>alert(1)</script>");

        Assert.Equal(new SniffedType(FileSniffer.Html, false), FileSniffer.Sniff(bytes));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<SVG><script>alert(1)</script></SVG>")]
    [InlineData("\uFEFF<!DOCTYPE svg><svg><script>alert(1)</script></svg>")]
    public void SvgWithScript_IsSvgAndNeverInline(string content)
    {
        Assert.Equal(new SniffedType(FileSniffer.Svg, false), Sniff(content));
    }

    [Fact]
    public void XmlThatIsNotSvg_IsXml()
    {
        Assert.Equal(new SniffedType(FileSniffer.Xml, false), Sniff("<?xml version=\"1.0\"?><feed><title>x</title></feed>"));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, FileSniffer.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg, FileSniffer.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp, FileSniffer.Webp)]
    public void EncodedImage_IsInlineImage(SKEncodedImageFormat format, string type)
    {
        using var picture = TestImages.Picture(8, 8, SKColors.Blue, SKColors.Red);

        Assert.Equal(new SniffedType(type, true), FileSniffer.Sniff(TestImages.Encode(picture, format)));
    }

    [Fact]
    public void Gif_IsInlineImage()
    {
        Assert.Equal(new SniffedType(FileSniffer.Gif, true), FileSniffer.Sniff(TestImages.AnimatedGif(2, 2, 0)));
        Assert.Equal(new SniffedType(FileSniffer.Gif, true), FileSniffer.Sniff("GIF87a\x02\0\x02\0"u8));
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A }, "application/pdf")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00 }, "application/zip")]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 }, "application/gzip")]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00 }, FileSniffer.Binary)]
    [InlineData(new byte[] { (byte)'h', (byte)'i', 0x00, (byte)'!' }, FileSniffer.Binary)]
    [InlineData(new byte[] { (byte)'o', (byte)'k', 0xC3 }, FileSniffer.Binary)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0x00 }, FileSniffer.Binary)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, FileSniffer.Binary)]
    public void OtherBytes_AreTheirTypeAndNotInline(byte[] head, string type)
    {
        Assert.Equal(new SniffedType(type, false), FileSniffer.Sniff(head));
    }

    [Theory]
    [InlineData("plain words\nand lines\r\n")]
    [InlineData("Grüße, 日本語, 🦆")]
    [InlineData("a < b and <html is not a tag here: <htmlish>")]
    [InlineData("")]
    public void Utf8Text_IsPlainText(string content)
    {
        Assert.Equal(new SniffedType(FileSniffer.Text, false), Sniff(content));
    }

    [Fact]
    public void TextCutInsideACharacterAtTheEndOfTheHead_IsPlainText()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', FileSniffer.HeadLength - 1) + "ü");

        Assert.Equal(FileSniffer.Text, FileSniffer.Sniff(bytes.AsSpan(0, FileSniffer.HeadLength)).ContentType);
        Assert.Equal(FileSniffer.Binary, FileSniffer.Sniff(bytes.AsSpan(0, FileSniffer.HeadLength - 10).ToArray().Append((byte)0xC3).ToArray()).ContentType);
    }

    private static SniffedType Sniff(string content) => FileSniffer.Sniff(Encoding.UTF8.GetBytes(content));
}
