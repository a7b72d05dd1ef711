using System.Diagnostics;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Search;

namespace DuckChat.Tests.Search;

/// <summary>
/// The timing channel a shared index leaves: how much longer a search takes for a term that is only in someone else's
/// chat than for a term that is nowhere. A measurement, not a check of speed: run with DUCKCHAT_MEASURE_SEARCH=1.
/// </summary>
public sealed class SearchTimingTests(BigChatAppFactory app, ITestOutputHelper output) : IClassFixture<BigChatAppFactory>
{
    [Fact]
    public async Task TermOnlyInAnotherChat_AgainstTermNowhere_MedianTimes()
    {
        if (Environment.GetEnvironmentVariable("DUCKCHAT_MEASURE_SEARCH") != "1")
        {
            Assert.Skip("A measurement: set DUCKCHAT_MEASURE_SEARCH=1 to run it.");
        }

        await app.OwnerAsync();
        var me = await app.CreatePersonAsync("timing-me");
        var other = await app.CreatePersonAsync("timing-other");
        var chatId = (await app.ChatServiceFor(me).OpenDirectChatAsync(other.UserName!)).ChatId;
        for (var i = 0; i < 200; i++)
        {
            await app.ChatServiceFor(me).SendAsync(chatId, $"my own note {i}", Guid.NewGuid());
        }

        var search = app.ServiceFor<MessageSearch>(me);
        (string Term, string Where)[] cases =
        [
            ("zzqqxx", "nowhere"), ("row 123457 ", "once, in another chat"), ("ftp://host", "in 300,000 messages of another chat"),
            ("own note", "in 200 of my messages"),
        ];
        foreach (var (term, where) in cases)
        {
            var times = new List<double>();
            for (var run = 0; run < 60; run++)
            {
                var watch = Stopwatch.StartNew();
                var results = await search.SearchAsync(term, null, TestContext.Current.CancellationToken);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(SearchOutcome.Found, results.Outcome);
                Assert.Equal(where.StartsWith("in 200", StringComparison.Ordinal), results.Hits.Count > 0);
            }

            times.Sort();
            output.WriteLine($"{term,-14} {where,-40} median {times[times.Count / 2],8:F2} ms  p90 {times[times.Count * 9 / 10],8:F2} ms");
        }
    }
}
