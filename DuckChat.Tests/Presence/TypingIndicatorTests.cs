using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Typing;
using DuckChat.Web.Configuration;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Presence;

/// <summary>
/// The typing line as a page shows it. The page hands it every typing signal of its chat on the bus's thread
/// (<see cref="TypingIndicator.Heard"/>), as the tests do here from theirs; a signal that changes nothing on the
/// line must cost the page no turn on its circuit and no render: every open page of a chat hears every signal.
/// A turn it took would have run once the tests' own turn (<see cref="SettledAsync"/>) has.
/// </summary>
public sealed class TypingIndicatorTests(DuckChatAppFactory app) : MudTestContext, IClassFixture<DuckChatAppFactory>, IAsyncLifetime
{
    private const int Chat = 7;
    private static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    /// <summary>The line's own signals go to the real service (as a reader of the chat), which these tests never call.</summary>
    public async ValueTask InitializeAsync()
    {
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(Options.Create(new PresenceOptions { TypingShownFor = ShownFor }));
        Services.AddSingleton(app.ServiceFor<TypingService>(await app.CreatePersonAsync($"typing-line-{Guid.NewGuid():N}"[..24])));
    }

    [Fact]
    public async Task ASignal_RendersTheLineOnce_AndARepeatFromSomeoneShown_NeitherRendersNorTakesATurn()
    {
        var line = RenderLine(visible: true);
        var renders = line.RenderCount;

        line.Instance.Heard(Signal("u2", "bob"));
        await SettledAsync();
        Assert.Equal(("1", renders + 1), (Typists(line), line.RenderCount));

        _time.Advance(ShownFor / 2);
        for (var repeat = 0; repeat < 3; repeat++)
        {
            line.Instance.Heard(Signal("u2", "bob"));
        }

        await SettledAsync();
        Assert.Equal(renders + 1, line.RenderCount);

        // The repeat moved bob's end: at his first end he still shows, at the moved one he goes (one render).
        _time.Advance(ShownFor / 2);
        Assert.Equal("1", Typists(line));
        _time.Advance(ShownFor / 2);
        await SettledAsync();
        Assert.Equal(("0", renders + 2), (Typists(line), line.RenderCount));
    }

    [Fact]
    public async Task AHiddenTab_TakesNoTurnForASignal_AndShownAgainNamesNobodyUntilTheNextSignal()
    {
        var line = RenderLine(visible: false);
        var renders = line.RenderCount;

        line.Instance.Heard(Signal("u2", "bob"));
        await SettledAsync();
        Assert.Equal(renders, line.RenderCount);

        line.Render(p => p.Add(l => l.Visible, true));
        Assert.Equal("0", Typists(line));
        line.Instance.Heard(Signal("u2", "bob"));
        await SettledAsync();
        Assert.Equal("1", Typists(line));
    }

    [Fact]
    public async Task MyOwnSignals_AndAnotherChats_TakeNoTurn()
    {
        var line = RenderLine(visible: true);
        var renders = line.RenderCount;

        line.Instance.Heard(Signal("me", "me"));
        line.Instance.Heard(new TypingStarted(Chat + 1, "u2", "bob"));
        await SettledAsync();

        Assert.Equal(renders, line.RenderCount);
        Assert.Equal("0", Typists(line));
    }

    [Fact]
    public async Task TheTypistsMessage_EndsTheLine_InTheRenderThatShowsIt()
    {
        var line = RenderLine(visible: true);
        line.Instance.Heard(Signal("u2", "bob"));
        line.Instance.Heard(Signal("u3", "carol"));
        await SettledAsync();
        Assert.Equal("2", Typists(line));
        var renders = line.RenderCount;

        line.Render(p => p.Add(l => l.NewestSeq, 12).Add(l => l.NewestSender, "u2"));

        Assert.Equal(("1", renders + 1), (Typists(line), line.RenderCount));
        Assert.DoesNotContain("bob", line.Find(".typing-line").TextContent);
    }

    private IRenderedComponent<TypingIndicator> RenderLine(bool visible) => Render<TypingIndicator>(p => p
        .Add(l => l.ChatId, Chat).Add(l => l.Me, "me").Add(l => l.Visible, visible).Add(l => l.NewestSeq, 11).Add(l => l.NewestSender, "u2"));

    /// <summary>How many people the line names (its data-typing attribute).</summary>
    private static string? Typists(IRenderedComponent<TypingIndicator> line) => line.Find(".typing-line").GetAttribute("data-typing");

    /// <summary>After every turn the line queued on the circuit so far.</summary>
    private Task SettledAsync() => Renderer.Dispatcher.InvokeAsync(() => { });

    private static TypingStarted Signal(string userId, string userName) => new(Chat, userId, userName);
}
