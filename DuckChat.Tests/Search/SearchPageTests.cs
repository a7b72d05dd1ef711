using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Tests.Security;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Search;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DuckChat.Tests.Search;

/// <summary>The search page's parts: the app bar's box, chips, highlighted hits (text stays text), outcomes, paging.</summary>
public sealed class SearchPageTests : MudTestContext
{
    public SearchPageTests() => Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new SearchOptions()));

    public static TheoryData<string> Payloads => new(XssCorpusTests.Payloads);

    [Fact]
    public void Operators_ShowAsChips_AndUnknownOnesStayText()
    {
        var query = SearchQuery.Parse("deploy from:ann in:\"team x\" has:link has:file before:2026-12-01 after:2026-11-01 is:mention foo:bar");

        var view = RenderResults(Found(query, [Hit(1, "deploy foo:bar", [new TextRange(0, 6)])]));

        var chips = view.FindAll(".search-chips li");
        Assert.Equal(Enum.GetValues<SearchOperator>().Select(o => o.ToString()), chips.Select(c => c.GetAttribute("data-operator")));
        Assert.Equal(["from:ann", "in:team x", "has:link", "has:file", "before:2026-12-01", "after:2026-11-01", "is:mention"],
            chips.Select(c => c.TextContent.Trim()));
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void HitText_WithAnXssPayload_ShowsAsText_WithItsMatchesMarked(string payload)
    {
        var head = Math.Min(4, payload.Length);
        var tail = new TextRange(Math.Max(head, payload.Length - 3), Math.Min(3, payload.Length - head));

        var view = RenderResults(Found(SearchQuery.Parse("x"), [Hit(1, payload, [new TextRange(0, head), tail])]));

        var text = view.Find(".search-hit-text");
        Assert.Equal(payload, text.TextContent);
        Assert.All(text.QuerySelectorAll("*"), element => Assert.Equal("MARK", element.TagName));
        Assert.Equal(new[] { payload[..head], payload.Substring(tail.Start, tail.Length) }.Where(s => s.Length > 0),
            text.QuerySelectorAll("mark").Select(m => m.TextContent));
    }

    [Fact]
    public void Segments_OverlappingOrOutOfRange_NeitherRepeatNorDropText()
    {
        var segments = HighlightedText.Segments("abcdefgh", [new TextRange(5, 2), new TextRange(1, 3), new TextRange(2, 3), new TextRange(7, 100), new TextRange(20, 1)]).ToList();

        Assert.Equal("abcdefgh", string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(["bcd", "e", "fg", "h"], segments.Where(s => s.Marked).Select(s => s.Text));
    }

    [Fact]
    public void Hits_ListNewestFirst_AsLinksToTheirMessage_WithSenderChatAndTime()
    {
        var newer = Hit(2, "second", [], chatId: 7, seq: 41) with { SenderName = null, SentAt = new DateTime(2026, 12, 4, 9, 30, 0, DateTimeKind.Utc) };

        var view = RenderResults(Found(SearchQuery.Parse("x"), [newer, Hit(1, "first", [])]));

        var items = view.FindAll("ol.search-hits > li");
        Assert.Equal(2, items.Count);
        Assert.Equal("/chats/7?at=41", items[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("deleted user in team", items[0].QuerySelector(".chat-list-name")!.TextContent);
        Assert.Equal(newer.SentAt.ToString("O"), items[0].QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Equal("first", items[1].QuerySelector(".search-hit-text")!.TextContent);
    }

    [Theory]
    [InlineData(SearchOutcome.Empty)]
    [InlineData(SearchOutcome.TooLong)]
    [InlineData(SearchOutcome.RateLimited)]
    [InlineData(SearchOutcome.TimedOut)]
    public void Outcome_WithoutHits_SaysWhy_AndListsNothing(SearchOutcome outcome)
    {
        var view = RenderResults(SearchResults.Not(outcome, SearchQuery.Parse("x")));

        Assert.Equal([outcome.ToString()], view.FindAll("[data-outcome]").Select(e => e.GetAttribute("data-outcome")));
        Assert.Empty(view.FindAll("ol"));
        Assert.Empty(view.FindAll("button"));
    }

    [Fact]
    public void FoundNothing_SaysSo_AndRecentOnly_SaysOnlyRecentMessagesWereSearched()
    {
        var view = RenderResults(Found(SearchQuery.Parse("ab"), []) with { RecentOnly = true });

        Assert.Equal(["NoHits", "RecentOnly"], view.FindAll("[data-outcome]").Select(e => e.GetAttribute("data-outcome")));
    }

    [Fact]
    public void ResultsWhileOlderMessagesAreIndexed_SaySomeMayBeMissing()
    {
        var view = RenderResults(Found(SearchQuery.Parse("abc"), [Hit(1, "abc", [new TextRange(0, 3)])]) with { StillIndexing = true });

        Assert.Equal(["StillIndexing"], view.FindAll("[data-outcome]").Select(e => e.GetAttribute("data-outcome")));
        Assert.Single(view.FindAll("ol li"));
    }

    [Fact]
    public void MoreResults_AppendBelow_UntilTheMostAPageShows_ThenSayToNarrowTheSearch()
    {
        var cursor = new SearchCursor(DateTime.UtcNow, 1);
        var first = Found(SearchQuery.Parse("abc"), [Hit(9, "abc", []), Hit(8, "abc", [])]) with { Next = cursor };
        var second = Found(SearchQuery.Parse("abc"), [Hit(7, "abc", []), Hit(6, "abc", [])]) with { Next = cursor };

        var both = first.Followed(second, max: 5);
        var capped = both.Followed(second with { Hits = [Hit(5, "abc", []), Hit(4, "abc", [])] }, max: 5);
        var failed = both.Followed(SearchResults.Not(SearchOutcome.TimedOut, first.Query), max: 5);

        Assert.Equal([9L, 8, 7, 6], both.Hits.Select(h => h.MessageId));
        Assert.Equal((true, false), (both.Next is not null, both.Capped));
        Assert.Equal([9L, 8, 7, 6, 5], capped.Hits.Select(h => h.MessageId));
        Assert.Equal((false, true), (capped.Next is not null, capped.Capped));
        Assert.Equal((SearchOutcome.TimedOut, 4, true), (failed.Outcome, failed.Hits.Count, failed.Next is not null));
        Assert.Same(both, both.Followed(SearchResults.Not(SearchOutcome.Cancelled, first.Query), max: 5));
        var view = RenderResults(capped);
        Assert.Equal(["Capped"], view.FindAll("[data-outcome]").Select(e => e.GetAttribute("data-outcome")));
        Assert.Empty(view.FindAll("button"));
    }

    [Fact]
    public void Loading_ShowsProgress_UntilResultsCome()
    {
        var view = Render<SearchResultsView>();

        Assert.NotNull(view.Find("[role=progressbar]"));
        view.Render(p => p.Add(v => v.Results, Found(SearchQuery.Parse("x"), [Hit(1, "x", [])])));
        Assert.Empty(view.FindAll("[role=progressbar]"));
    }

    [Fact]
    public void MoreResults_OnlyWithACursor_AsksForTheNextPage_AndWaitsWhileLoading()
    {
        var asked = 0;
        var page = Found(SearchQuery.Parse("x"), [Hit(1, "x", [])]);
        var view = Render<SearchResultsView>(p => p
            .Add(v => v.Results, page with { Next = new SearchCursor(DateTime.UtcNow, 1) })
            .Add(v => v.OnMore, () => asked++));

        view.Find("button").Click();
        Assert.Equal(1, asked);
        view.Render(p => p.Add(v => v.LoadingMore, true));
        Assert.True(view.Find("button").HasAttribute("disabled"));
        view.Render(p => p.Add(v => v.Results, page));
        Assert.Empty(view.FindAll("button"));
    }

    [Fact]
    public void SyntaxHelp_OpensFromItsButton_AndListsEveryOperator()
    {
        var view = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<SearchHelp>(1);
            builder.CloseComponent();
        });

        var button = view.Find("button[aria-controls=search-syntax]");
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        button.Click();
        Assert.Equal("true", view.Find("button[aria-controls=search-syntax]").GetAttribute("aria-expanded"));
        var terms = string.Join(" ", view.FindAll("#search-syntax dt").Select(d => d.TextContent));
        Assert.All(new[] { "\"", "-word", "from:", "in:", "has:link", "has:file", "before:", "after:", "is:mention" }, op => Assert.Contains(op, terms));
    }

    [Fact]
    public void SearchBox_Enter_OpensTheResultsPage_WithTheQueryEscaped_AndShowsTheQueryThere()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var box = Render<SearchBox>();

        box.Find("input").Change("from:ann \"a & b\"");
        box.Find("form").Submit();

        Assert.Equal("http://localhost/search?q=from%3Aann%20%22a%20%26%20b%22", navigation.Uri);
        Assert.Equal("search", box.Find("form").GetAttribute("role"));
        navigation.NavigateTo("/search?q=elsewhere");
        box.WaitForAssertion(() => Assert.Equal("elsewhere", box.Find("input").GetAttribute("value")));
    }

    private IRenderedComponent<SearchResultsView> RenderResults(SearchResults results) =>
        Render<SearchResultsView>(p => p.Add(v => v.Results, results));

    private static SearchResults Found(SearchQuery query, IReadOnlyList<SearchHit> hits) => new(SearchOutcome.Found, query, hits, null, false);

    private static SearchHit Hit(long id, string text, IReadOnlyList<TextRange> matches, int chatId = 3, long seq = 9) =>
        new(id, chatId, "team", ChatKind.Group, seq, "ann", DateTime.UtcNow, text, matches);
}
