using DuckChat.Web.Data;
using DuckChat.Web.Search;

namespace DuckChat.Tests.Search;

public sealed class SearchTextTests
{
    [Fact]
    public void DeletedOrSystemMessage_IsNotIndexed()
    {
        Assert.Null(SearchText.ForIndex("gone", MessageKind.Text, deleted: true));
        Assert.Null(SearchText.ForIndex("alice added carol", MessageKind.System, deleted: false));
    }

    [Fact]
    public void Markdown_IsStripped_AndMentionsStayAsWritten()
    {
        Assert.Equal("bold and code @bob", SearchText.ForIndex("**bold** and `code` @bob", MessageKind.Text, false));
        Assert.Equal("quoted\nitem", SearchText.ForIndex("> quoted\n\n- item", MessageKind.Text, false));
    }

    [Fact]
    public void LinkAddress_IsKept_WhenTheTextDoesNotShowIt()
    {
        Assert.Equal("see docs\nhttp://internal.example/wiki", SearchText.ForIndex("see [docs](http://internal.example/wiki)", MessageKind.Text, false));
        Assert.Equal("at http://internal.example", SearchText.ForIndex("at http://internal.example", MessageKind.Text, false));
        Assert.Equal("x", SearchText.ForIndex("[x](javascript:alert(1))", MessageKind.Text, false));
    }

    [Fact]
    public void CjkText_GetsATailOfMarkedBigrams_EachPairOnce()
    {
        const char m = SearchText.BigramMark;
        Assert.Equal($"明天的会议 会议\n明天{m} 天的{m} 的会{m} 会议{m}", SearchText.ForIndex("明天的会议 会议", MessageKind.Text, false));
        Assert.Equal($"ok 会议 ok\n会议{m}", SearchText.ForIndex("ok 会议 ok", MessageKind.Text, false));
    }

    [Fact]
    public void TextWithoutCjkPairs_HasNoTail()
    {
        Assert.Equal("service-42 и Привет 会", SearchText.ForIndex("service-42 и Привет 会", MessageKind.Text, false));
        Assert.Equal("", SearchText.ForIndex("", MessageKind.Text, false));
    }

    [Fact]
    public void BigramMarkInTheBody_IsDropped_SoOnlyTheTailHoldsIt()
    {
        Assert.Equal("ab", SearchText.ForIndex("a\uE000b", MessageKind.Text, false));
    }

    [Theory]
    [InlineData('会', true)]
    [InlineData('の', true)]
    [InlineData('カ', true)]
    [InlineData('한', true)]
    [InlineData('a', false)]
    [InlineData('Ж', false)]
    [InlineData('。', false)]
    public void IsCjk_KnowsTheScripts(char c, bool expected) => Assert.Equal(expected, SearchText.IsCjk(c));
}
