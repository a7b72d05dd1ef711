using DuckChat.Web.Search;

namespace DuckChat.Tests.Search;

public sealed class SearchQueryTests
{
    [Fact]
    public void SeveralWords_AreEachATerm_AllWanted()
    {
        var query = SearchQuery.Parse("  deploy   rvice-42 ");

        Assert.Equal([new SearchTerm("deploy", false, false), new SearchTerm("rvice-42", false, false)], query.Terms);
        Assert.Empty(query.Chips);
        Assert.False(query.IsEmpty);
    }

    [Fact]
    public void QuotedPhrase_IsOneTerm_WithItsSpaces_AndAnUnclosedQuoteRunsToTheEnd()
    {
        Assert.Equal([new SearchTerm("release notes", true, false), new SearchTerm("x", false, false)],
            SearchQuery.Parse("\"release notes\" x").Terms);
        Assert.Equal([new SearchTerm("open ended", true, false)], SearchQuery.Parse("\"open ended").Terms);
    }

    [Fact]
    public void MinusWord_AndMinusPhrase_AreExcluded_ButALoneMinusIsNot()
    {
        var query = SearchQuery.Parse("build -failed -\"red light\" a - b");

        Assert.Equal(
            [
                new SearchTerm("build", false, false), new SearchTerm("failed", false, true), new SearchTerm("red light", true, true),
                new SearchTerm("a", false, false), new SearchTerm("-", false, false), new SearchTerm("b", false, false),
            ], query.Terms);
    }

    [Fact]
    public void ExcludedWordsAlone_AndBlankText_AreEmpty()
    {
        Assert.True(SearchQuery.Parse("-spam").IsEmpty);
        Assert.True(SearchQuery.Parse("   ").IsEmpty);
        Assert.True(SearchQuery.Parse("\"\"").IsEmpty);
        Assert.False(SearchQuery.Parse("has:link").IsEmpty);
    }

    [Fact]
    public void From_TakesUserNames_NormalizedAsAccountsAre_WithOrWithoutAt()
    {
        var query = SearchQuery.Parse("from:Alice from:@ｂｏｂ hello");

        Assert.Equal(["ALICE", "BOB"], query.From);
        Assert.Equal([new SearchChip(SearchOperator.From, "Alice"), new SearchChip(SearchOperator.From, "@ｂｏｂ")], query.Chips);
        Assert.Equal([new SearchTerm("hello", false, false)], query.Terms);
    }

    [Fact]
    public void In_TakesAChatName_QuotedWhenItHasSpaces()
    {
        var query = SearchQuery.Parse("in:ops in:\"Team Alpha\" standup");

        Assert.Equal(["ops", "Team Alpha"], query.In);
        Assert.Equal([new SearchTerm("standup", false, false)], query.Terms);
        Assert.Equal(2, query.Chips.Count(c => c.Kind == SearchOperator.In));
    }

    [Fact]
    public void HasAndIs_SetTheirFlags_InAnyCase()
    {
        var query = SearchQuery.Parse("HAS:Link has:file Is:Mention");

        Assert.True(query.HasLink);
        Assert.True(query.HasFile);
        Assert.True(query.IsMention);
        Assert.Empty(query.Terms);
        Assert.Equal([SearchOperator.HasLink, SearchOperator.HasFile, SearchOperator.IsMention], query.Chips.Select(c => c.Kind));
    }

    [Fact]
    public void BeforeAndAfter_TakeIsoDays()
    {
        var query = SearchQuery.Parse("before:2026-12-01 after:2026-11-03");

        Assert.Equal(new DateOnly(2026, 12, 1), query.Before);
        Assert.Equal(new DateOnly(2026, 11, 3), query.After);
        Assert.Empty(query.Terms);
    }

    [Theory]
    [InlineData("http://internal.example")]
    [InlineData("before:yesterday")]
    [InlineData("after:2026-13-40")]
    [InlineData("has:picture")]
    [InlineData("is:unread")]
    [InlineData("from:")]
    [InlineData("label:urgent")]
    [InlineData("ttp://inter")]
    public void UnknownOperators_AndBadValues_AreText(string text)
    {
        var query = SearchQuery.Parse(text);

        Assert.Equal([new SearchTerm(text, false, false)], query.Terms);
        Assert.Empty(query.Chips);
    }

    [Fact]
    public void ExcludedOperator_IsExcludedText()
    {
        Assert.Equal([new SearchTerm("from:alice", false, true)], SearchQuery.Parse("-from:alice").Terms);
    }

    [Theory]
    [InlineData("会议")]
    [InlineData("مرحبا")]
    [InlineData("שלום")]
    [InlineData("🦆🚀")]
    public void AnyScript_IsATerm_AsTyped(string text)
    {
        Assert.Equal([new SearchTerm(text, false, false)], SearchQuery.Parse(text).Terms);
    }
}
