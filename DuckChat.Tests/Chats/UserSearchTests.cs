using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DuckChat.Tests.Chats;

/// <summary>
/// The drawer's "Search users" box against the real chat service and database, on a fake clock: the server waits
/// for a pause in typing before it searches, and counts the database contexts each search opens.
/// </summary>
public sealed class UserSearchTests : MudTestContext, IClassFixture<DuckChatAppFactory>
{
    // The database answers on the thread pool; a busy machine may take longer than bUnit's one-second default.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly DuckChatAppFactory _app;
    private readonly FakeTimeProvider _time = new();
    private readonly CountingFactory _contexts;

    public UserSearchTests(DuckChatAppFactory app)
    {
        _app = app;
        _app.StartServer();
        _contexts = new CountingFactory(app.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>());
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(app.Services.GetRequiredService<IOptions<ChatOptions>>());
    }

    [Fact]
    public async Task Typing_SearchesOnceTheTypingPauses_ForTheLastText()
    {
        var perSearch = await ContextsOneSearchOpensAsync("search-finder");
        await CreatePeopleAsync("duckling-01", "duckling-02", "drake-01");
        var search = Render<UserSearch>();

        foreach (var text in new[] { "d", "du", "duc", "duckl" })
        {
            search.Find("input").Input(text);
            _time.Advance(UserSearch.DebounceInterval - TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(0, _contexts.Opened);
        Assert.Empty(search.FindAll("nav a"));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        search.WaitForAssertion(() => Assert.Equal(["duckling-01", "duckling-02"], search.FindAll("nav a").Select(a => a.TextContent.Trim())), Patience);
        Assert.Equal(perSearch, _contexts.Opened);
        Assert.DoesNotContain(search.FindAll("button"), b => b.TextContent.Trim() == "More results");
    }

    [Fact]
    public async Task Clearing_EmptiesTheBoxAndTheResults()
    {
        await ContextsOneSearchOpensAsync("search-clearer");
        await CreatePeopleAsync("mallard-01");
        var search = Render<UserSearch>();
        Assert.Empty(search.FindAll("[aria-label='Clear search']"));

        search.Find("input").Input("mallard");
        _time.Advance(UserSearch.DebounceInterval);
        search.WaitForAssertion(() => Assert.Single(search.FindAll("nav a")), Patience);
        search.Find("[aria-label='Clear search']").Click();

        // The search's answer came back on the thread pool; its last render may still be in the renderer's queue.
        search.WaitForAssertion(() =>
        {
            Assert.Equal("", search.Find("input").GetAttribute("value"));
            Assert.Empty(search.FindAll("nav a"));
            Assert.Empty(search.FindAll("[aria-label='Clear search']"));
        }, Patience);
    }

    [Fact]
    public async Task NothingMatching_SaysNoUsersFound()
    {
        await ContextsOneSearchOpensAsync("search-lonely");
        var search = Render<UserSearch>();

        search.Find("input").Input("zz-no-such-duck");
        _time.Advance(UserSearch.DebounceInterval);

        search.WaitForAssertion(() => Assert.Equal("No users found", search.Find("[role=status]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task MoreResults_AddsTheNextPage_UntilThereIsNoMore()
    {
        await ContextsOneSearchOpensAsync("search-many");
        await CreatePeopleAsync(Enumerable.Range(0, 25).Select(i => $"eider-{i:00}").ToArray());
        var search = Render<UserSearch>();

        search.Find("input").Input("eider");
        _time.Advance(UserSearch.DebounceInterval);
        search.WaitForAssertion(() => Assert.Equal(20, search.FindAll("nav a").Count), Patience);
        search.FindAll("button").Single(b => b.TextContent.Trim() == "More results").Click();

        search.WaitForAssertion(() => Assert.Equal(
            Enumerable.Range(0, 25).Select(i => $"eider-{i:00}"), search.FindAll("nav a").Select(a => a.TextContent.Trim())), Patience);
        Assert.DoesNotContain(search.FindAll("button"), b => b.TextContent.Trim() == "More results");
    }

    [Fact]
    public async Task ClosedWhileWaitingForAPause_NeverSearches()
    {
        await ContextsOneSearchOpensAsync("search-leaver");
        var search = Render<UserSearch>();
        search.Find("input").Input("anyone");

        await DisposeComponentsAsync();
        _time.Advance(UserSearch.DebounceInterval * 4);
        // A search that the clock set off would have reached the database on the renderer's queue before this.
        await Renderer.Dispatcher.InvokeAsync(() => { });

        Assert.Equal(0, _contexts.Opened);
    }

    /// <summary>Signs in as a new <paramref name="userName"/> for the box; returns how many contexts one search opens.</summary>
    private async Task<int> ContextsOneSearchOpensAsync(string userName)
    {
        var chats = _app.ServiceFor<ChatService>(await _app.CreatePersonAsync(userName), null, _contexts);
        Services.AddSingleton(chats);
        await chats.SearchUsersAsync("calibration");
        var opened = _contexts.Opened;
        _contexts.Opened = 0;
        return opened;
    }

    private async Task CreatePeopleAsync(params string[] userNames)
    {
        foreach (var userName in userNames)
        {
            await _app.CreatePersonAsync(userName);
        }
    }

    private sealed class CountingFactory(IDbContextFactory<ChatDbContext> inner) : IDbContextFactory<ChatDbContext>
    {
        private int _opened;

        public int Opened
        {
            get => Volatile.Read(ref _opened);
            set => Volatile.Write(ref _opened, value);
        }

        public ChatDbContext CreateDbContext()
        {
            Interlocked.Increment(ref _opened);
            return inner.CreateDbContext();
        }

        public Task<ChatDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _opened);
            return inner.CreateDbContextAsync(cancellationToken);
        }
    }
}
