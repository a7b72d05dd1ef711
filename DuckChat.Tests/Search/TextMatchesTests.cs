using DuckChat.Web.Search;

namespace DuckChat.Tests.Search;

public sealed class TextMatchesTests
{
    private static SearchTerm Word(string text) => new(text, false, false);

    [Theory]
    [InlineData("see http://internal.example/x", "ttp://inter")]
    [InlineData("restart service-42 now", "rvice-42")]
    [InlineData("明天的会议", "会议")]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("CAFÉ", "café")]
    [InlineData("مرحبا بالعالم", "بالعالم")]
    [InlineData("שלום עולם", "עולם")]
    [InlineData("ship it 🦆🚀 today", "🦆🚀")]
    [InlineData("ＡＢＣ wide", "abc")]
    public void Contains_IgnoresCaseAccentsAndWidth_InAnyScript(string text, string term)
    {
        Assert.True(TextMatches.Contains(text, term));
        Assert.NotEmpty(TextMatches.Find(text, [Word(term)]));
    }

    [Fact]
    public void Contains_SeesThroughZeroWidthCharacters()
    {
        Assert.True(TextMatches.Contains("pass\u200Bword", "password"));
        Assert.True(TextMatches.Contains("password", "pass\u200Dword"));
    }

    [Fact]
    public void Find_GivesEverySpanOfEveryTerm_InOrder_OverlapsMerged()
    {
        var text = "Deploy the deploy; redeploy";

        var ranges = TextMatches.Find(text, [Word("deploy"), Word("the d"), new SearchTerm("redeploy", false, true)]);

        Assert.Equal([new TextRange(0, 6), new TextRange(7, 10), new TextRange(21, 6)], ranges);
        Assert.Equal("the deploy", text.Substring(7, 10));
    }

    [Fact]
    public void Find_SpansCoverTheOriginalCharacters_WhenTheTextIsDecomposed()
    {
        var text = "Cafe\u0301 ok";

        var range = Assert.Single(TextMatches.Find(text, [Word("café")]));

        Assert.Equal(new TextRange(0, 5), range);
    }

    [Fact]
    public void Satisfies_NeedsEveryWantedTerm_AndNoExcludedOne()
    {
        SearchTerm[] terms = [Word("build"), Word("green"), new SearchTerm("flaky", false, true)];

        Assert.True(TextMatches.Satisfies("green build", terms));
        Assert.False(TextMatches.Satisfies("green", terms));
        Assert.False(TextMatches.Satisfies("green build, flaky", terms));
    }
}
