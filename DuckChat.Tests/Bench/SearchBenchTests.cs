using DuckChat.Bench.Search;

namespace DuckChat.Tests.Bench;

/// <summary>
/// The search benchmark (issue 19) at tiny size, so it cannot rot: every query class finds what it should through the
/// service with the shipped index, nothing from chats the person is not in, and the detail=none layout answers with
/// ANDed trigrams the same pages. No timing is judged.
/// </summary>
public sealed class SearchBenchTests
{
    [Fact]
    public async Task TinyRun_FindsEveryClass_NothingFromOthersChats_AndTheSamePagesWithDetailNone()
    {
        // Arrange
        var options = new SearchBenchOptions().AsTiny();
        using var log = new StringWriter();

        // Act
        var run = await SearchBench.RunAsync(options, log);

        // Assert
        Assert.Equal(["full", "none"], run.Layouts.Select(l => l.Detail));
        var full = run.Layouts[0];
        Assert.All(full.Latency, l => Assert.True(l.Errors == 0 && l.Outcomes.Keys.SequenceEqual(["Found"]), $"{l.Way} {l.Person} {l.Class}: {l.FirstError}\n{log}"));
        Assert.All(full.Latency.Where(l => l.Class != "nowhere"), l => Assert.True(l.MeanHits > 0, $"{l.Way} {l.Person} {l.Class} found nothing\n{log}"));
        Assert.All(full.Latency.Where(l => l.Class == "nowhere"), l => Assert.Equal(0, l.MeanHits));
        Assert.All(run.Layouts.SelectMany(l => l.Channel), c => Assert.Equal(0, c.Hits));
        var none = run.Layouts[1];
        Assert.All(none.Latency.Where(l => l.Way != "service"), l => Assert.Equal(0, l.Errors));
        Assert.Empty(none.PagesDiffering);
        Assert.All(run.Layouts, l => Assert.True(l.Sizes.IndexByPages > 0 && l.Sizes.SearchText > 0, $"{l.Detail}: no index\n{log}"));
        Assert.Equal(options.Messages, run.Mix.Values.Sum());
    }
}
