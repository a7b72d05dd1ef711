using DuckChat.Web.Chats.Typing;

namespace DuckChat.Tests.Presence;

public sealed class TypingPeopleTests
{
    private static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(5);
    private readonly DateTimeOffset _start = DateTimeOffset.UnixEpoch;

    [Fact]
    public void NamesLastFiveSecondsAfterTheLastSignal_TheLineChangesOnlyWhenWhoIsTypingDoes()
    {
        var people = new TypingPeople(ShownFor);

        Assert.True(people.Started("a", "alice", _start));
        Assert.False(people.Started("a", "alice", _start.AddSeconds(3))); // lasts longer, the line stays as it is
        Assert.True(people.Started("b", "bob", _start.AddSeconds(4)));
        Assert.Equal(_start.AddSeconds(8), people.NextEnd);

        Assert.False(people.Expire(_start.AddSeconds(7)));
        Assert.True(people.Expire(_start.AddSeconds(8)));
        Assert.Equal(["b"], people.Ids);
        Assert.True(people.Expire(_start.AddSeconds(9)));
        Assert.Equal(0, people.Count);
        Assert.Null(people.NextEnd);
    }

    [Fact]
    public void AMessageFromATypist_EndsTheirLineAtOnce()
    {
        var people = new TypingPeople(ShownFor);
        people.Started("a", "alice", _start);

        Assert.False(people.Stopped("b"));
        Assert.True(people.Stopped("a"));
        Assert.Equal("", people.Text);
    }

    [Theory]
    [InlineData(1, "alice is typing…")]
    [InlineData(2, "alice and bob are typing…")]
    [InlineData(4, "alice and 3 others are typing…")]
    public void TheLine_NamesOneOrTwo_AndCountsTheRest(int typists, string line)
    {
        var people = new TypingPeople(ShownFor);
        string[] names = ["alice", "bob", "carol", "dave"];
        foreach (var name in names.Take(typists))
        {
            people.Started(name, name, _start);
        }

        Assert.Equal(line, people.Text);
    }
}
