using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DuckChat.Web.Chats.Formatting;

namespace DuckChat.Tests.Chats;

public sealed class MessageFormatterTests
{
    private static readonly MessageFormatter Formatter = new();

    /// <summary>Link tricks that must never become a link to anything but the web or mail.</summary>
    public static readonly TheoryData<string> LinkTricks =
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](java\\script:alert(1))",
        "[x](%6Aavascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "[x](VBScript:msgbox(1))",
        "[x](/relative/path)",
        "[x](//evil.example/x)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[ref]\n\n[ref]: data:text/html,<script>alert(1)</script>",
        "<javascript:alert(1)>",
        "<data:text/html,alert(1)>",
        "<vbscript:msgbox(1)>",
        "![x](javascript:alert(1))",
        "![x](x\" onerror=\"alert(1))",
        "[x](https://ok.example \"title\" onmouseover=alert(1))",
        "javascript:alert(1)",
        "www.example.com/javascript:alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[<a href=\"javascript:alert(1)\">x</a>](https://ok.example)",
    ];

    [Theory]
    [MemberData(nameof(LinkTricks))]
    public void LinkTricks_NeverLinkAnywhereButTheWebOrMail_AndNothingRuns(string markdown)
    {
        var body = Render(markdown);

        Assert.All(body.QuerySelectorAll("a"), a =>
        {
            var href = a.GetAttribute("href")!;
            Assert.Matches("^(https?://|mailto:)", href);
            Assert.Equal("_blank", a.GetAttribute("target"));
            Assert.Equal("noopener noreferrer nofollow", a.GetAttribute("rel"));
        });
        Assert.Empty(body.QuerySelectorAll("img, script, iframe, object, embed, [style], [onerror], [onmouseover]"));
        Assert.All(body.QuerySelectorAll("*"), e => Assert.All(e.Attributes, attr => Assert.DoesNotMatch("(?i)^on", attr.Name)));
    }

    [Fact]
    public void CommonFormatting_RendersAsItsElements()
    {
        var body = Render("**bold** *it* ~~gone~~ `code`\n\n> quoted\n\n- one\n- two\n\n1. first");

        Assert.Equal("bold", body.QuerySelector("strong")!.TextContent);
        Assert.Equal("it", body.QuerySelector("em")!.TextContent);
        Assert.Equal("gone", body.QuerySelector("del")!.TextContent);
        Assert.Equal("code", body.QuerySelector("p code")!.TextContent);
        Assert.Equal("quoted", body.QuerySelector("blockquote")!.TextContent.Trim());
        Assert.Equal(2, body.QuerySelectorAll("ul li").Length);
        Assert.Single(body.QuerySelectorAll("ol li"));
    }

    [Fact]
    public void SingleNewline_IsALineBreak()
    {
        var body = Render("one\ntwo");

        Assert.Single(body.QuerySelectorAll("p"));
        Assert.Single(body.QuerySelectorAll("p br"));
    }

    [Fact]
    public void RawHtml_ShowsAsText()
    {
        var body = Render("<b>bold?</b>\n\n<div onclick=\"x()\">block</div>");

        Assert.Empty(body.QuerySelectorAll("b, div"));
        Assert.Contains("<b>bold?</b>", body.TextContent);
        Assert.Contains("<div onclick=\"x()\">block</div>", body.TextContent);
    }

    [Fact]
    public void WebAndMailLinks_AreLinks_ThatOpenApartAndTellTheSiteNothing()
    {
        var body = Render("see https://example.com/a?b=c and www.example.org and <mailto:me@example.com> and [docs](http://docs.example)");

        var hrefs = body.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["https://example.com/a?b=c", "http://www.example.org", "mailto:me@example.com", "http://docs.example"], hrefs);
        Assert.All(body.QuerySelectorAll("a"), a => Assert.Equal("noopener noreferrer nofollow", a.GetAttribute("rel")));
    }

    [Fact]
    public void Image_BecomesALinkToIt_AndIsNeverFetched()
    {
        var body = Render("![a duck](https://elsewhere.example/duck.png) ![](https://elsewhere.example/x.png)");

        Assert.Empty(body.QuerySelectorAll("img"));
        var links = body.QuerySelectorAll("a");
        Assert.Equal(["a duck", "https://elsewhere.example/x.png"], links.Select(a => a.TextContent));
        Assert.All(links, a => Assert.StartsWith("https://elsewhere.example/", a.GetAttribute("href")));
    }

    [Fact]
    public void FencedCode_IsHighlightedOnTheServer_WithACopyButton_AndKeepsNoClassFromTheFence()
    {
        var body = Render("```js onload=alert(1) class=evil\nvar x = \"s\"; // note\n```\n\n```csharp\npublic class A {}\n```\n\n```nosuchlanguage\n<b>as text</b>\n```");

        var blocks = body.QuerySelectorAll(".code-block");
        Assert.Equal(3, blocks.Length);
        Assert.All(blocks, block => Assert.NotNull(block.QuerySelector("button.code-copy[aria-label]")));
        Assert.Equal("var x = \"s\"; // note", blocks[0].QuerySelector("code")!.TextContent);
        Assert.Contains("keyword", blocks[0].QuerySelectorAll("code span").Select(s => s.ClassName));
        Assert.Contains("keyword", blocks[1].QuerySelectorAll("code span").Select(s => s.ClassName));
        Assert.Equal("<b>as text</b>", blocks[2].QuerySelector("code")!.TextContent);
        Assert.Empty(blocks[2].QuerySelectorAll("b"));
        Assert.All(body.QuerySelectorAll("[class]"), e => Assert.All(e.ClassList, c =>
            Assert.True(c is "code-block" or "code-copy" || HighlightedCodeBlockRenderer.HighlightClasses.Contains(c), c)));
        Assert.Empty(body.QuerySelectorAll("[style]"));
    }

    public static readonly TheoryData<string, string> Pathological = new()
    {
        { "nested quotes", new string('>', 10_000) + " deep" },
        { "nested quotes on lines", string.Concat(Enumerable.Range(0, 2_000).Select(i => new string('>', i) + " x\n")) },
        { "nested lists", string.Concat(Enumerable.Range(0, 10_000).Select(i => new string(' ', i * 2) + "- x\n")) },
        { "list markers", string.Concat(Enumerable.Repeat("- ", 10_000)) + "x" },
        { "asterisks", new string('*', 100_000) },
        { "alternating emphasis", string.Concat(Enumerable.Repeat("*a", 50_000)) },
        { "brackets", new string('[', 50_000) + new string(']', 50_000) },
        { "unclosed links", string.Concat(Enumerable.Repeat("[a](", 25_000)) },
        { "nested quotes within the formatted length", string.Concat(Enumerable.Repeat("> ", 3_000)) + "deep" },
        { "nested emphasis within the formatted length", new string('*', 3_000) + "x" + new string('*', 3_000) },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Pathological))]
    public async Task PathologicalInput_RendersShallow_KeepsItsText_AndDoesNotHang(string name, string markdown)
    {
        var body = await Task.Run(() => Render(markdown), TestContext.Current.CancellationToken);

        Assert.True(Depth(body) <= 140, $"{name}: rendered {Depth(body)} elements deep");
        Assert.NotEmpty(Formatter.PlainText(markdown));
    }

    [Fact]
    public void PlainText_DropsTheSyntax_AndKeepsTheWords()
    {
        Assert.Equal("bold and code and link", Formatter.PlainText("**bold** and `code` and [link](https://x.example)"));
        Assert.Equal("quoted\nitem", Formatter.PlainText("> quoted\n\n- item"));
        Assert.Equal("<b>raw</b>", Formatter.PlainText("<b>raw</b>"));
    }

    [Fact]
    public void Excerpt_IsOneLine_CutAtAWholeCharacter()
    {
        Assert.Equal("one two", Formatter.Excerpt("**one**\n\ntwo", 50));
        var excerpt = Formatter.Excerpt("ab👩‍👩‍👧‍👦cd", 5);
        Assert.Equal("ab…", excerpt);
    }

    private static IElement Render(string markdown)
    {
        var document = new HtmlParser().ParseDocument("<div id=\"body\">" + Formatter.Html(markdown).Value + "</div>");
        return document.GetElementById("body")!;
    }

    private static int Depth(IElement element)
    {
        var deepest = 0;
        var stack = new Stack<(IElement Element, int Depth)>([(element, 0)]);
        while (stack.TryPop(out var at))
        {
            deepest = Math.Max(deepest, at.Depth);
            foreach (var child in at.Element.Children)
            {
                stack.Push((child, at.Depth + 1));
            }
        }

        return deepest;
    }

    [Theory]
    [InlineData("hi @bob!", new[] { "bob" })]
    [InlineData("thanks @bob.", new[] { "bob" })]
    [InlineData("@alice.smith and @j-doe_99, @ALICE.SMITH", new[] { "alice.smith", "j-doe_99" })]
    [InlineData("mail bob@example.com", new string[0])]
    [InlineData("`@bob` and\n```\n@carol\n```", new string[0])]
    [InlineData("@ab is too short, @", new string[0])]
    [InlineData("**@bob** in bold, [@carol](https://x.example) in a link", new[] { "bob", "carol" })]
    public void MentionedNames_AreTheAtNamesOutsideCode(string markdown, string[] names) =>
        Assert.Equal(names, Formatter.MentionedNames(markdown));

    [Fact]
    public void Mention_IsHighlightedOnlyForWhomItNames_AndItsTextStaysText()
    {
        var mentions = new[] { new DuckChat.Web.Chats.Mentions.Mention("id-1", "bob", DuckChat.Web.Data.MentionKind.Person) };

        var html = Formatter.Html("@bob and @carol <b>x</b>", mentions).Value;

        Assert.Equal("<p><span class=\"mention\" data-user=\"id-1\">@bob</span> and @carol &lt;b&gt;x&lt;/b&gt;</p>", html);
        Assert.Equal("<p>@bob and @carol &lt;b&gt;x&lt;/b&gt;</p>", Formatter.Html("@bob and @carol <b>x</b>").Value);
        Assert.Equal("@bob and @carol", Formatter.PlainText("@bob and @carol"));
    }
}
