using DuckChat.Web.Chats.Typing;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Presence;

public sealed class TypingPeopleTests : IDisposable
{
    private static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly TypingPeople _people;
    private int _expired;

    public TypingPeopleTests() => _people = new TypingPeople(ShownFor, _time, () => Interlocked.Increment(ref _expired));

    [Fact]
    public void NamesLastFiveSecondsAfterTheLastSignal_TheLineChangesOnlyWhenWhoIsTypingDoes()
    {
        Assert.True(_people.Started("a", "alice"));
        var line = _people.Line;
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(_people.Started("a", "alice")); // lasts longer, the line stays as it is
        Assert.Same(line, _people.Line);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_people.Started("b", "bob"));

        _time.Advance(TimeSpan.FromSeconds(3)); // 7 s: alice's first end passed, but she signalled again
        Assert.Equal((2, 0), (_people.Line.Count, _expired));
        _time.Advance(TimeSpan.FromSeconds(1)); // 8 s: alice's time is up
        Assert.Equal((1, "bob is typing…", 1), (_people.Line.Count, _people.Line.Text, _expired));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((TypingLine.Nobody, 2), (_people.Line, _expired));

        _time.Advance(ShownFor * 3);
        Assert.Equal(2, _expired); // nobody shows: the clock calls no more
    }

    [Fact]
    public void AMessageFromATypist_EndsTheirLineAtOnce()
    {
        _people.Started("a", "alice");

        Assert.False(_people.Stopped("b"));
        Assert.True(_people.Stopped("a"));
        Assert.Equal("", _people.Line.Text);
        _time.Advance(ShownFor);
        Assert.Equal(0, _expired);
    }

    [Fact]
    public void AHiddenPage_DropsWhoShowed_TakesNoSignal_AndShownAgainNamesNobodyUntilTheNextSignal()
    {
        _people.Started("a", "alice");

        _people.SetVisible(false);
        Assert.Equal(TypingLine.Nobody, _people.Line);
        Assert.False(_people.Started("b", "bob"));
        Assert.Equal(TypingLine.Nobody, _people.Line);

        _people.SetVisible(true);
        Assert.Equal(TypingLine.Nobody, _people.Line);
        _time.Advance(ShownFor);
        Assert.Equal(0, _expired);
        Assert.True(_people.Started("b", "bob"));
        Assert.Equal("bob is typing…", _people.Line.Text);
    }

    [Theory]
    [InlineData(1, "alice is typing…")]
    [InlineData(2, "alice and bob are typing…")]
    [InlineData(4, "alice and 3 others are typing…")]
    public void TheLine_NamesOneOrTwo_AndCountsTheRest(int typists, string line)
    {
        string[] names = ["alice", "bob", "carol", "dave"];
        foreach (var name in names.Take(typists))
        {
            _people.Started(name, name);
        }

        Assert.Equal(line, _people.Line.Text);
    }

    public void Dispose() => _people.Dispose();
}
