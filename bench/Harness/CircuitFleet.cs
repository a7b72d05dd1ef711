using DuckChat.Bench.Circuits;

namespace DuckChat.Bench.Harness;

/// <summary>A circuit the fleet opened, with the chat it shows (index into the seeded chats) and its person.</summary>
public sealed record OpenCircuit(BlazorCircuit Circuit, int Chat, int Account);

/// <summary>
/// The load client's people and tabs on one server: accounts signed in over HTTP (a few at a time, the server
/// hashes each password), chat pages opened as circuits a few at a time, all closed together.
/// </summary>
public sealed class CircuitFleet(ServerProcess server, SeededDatabase database) : IAsyncDisposable
{
    private const int Parallelism = 8;
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<int, SignedInAccount> _accounts = [];
    private readonly Dictionary<int, int> _tabs = [];

    public List<OpenCircuit> Circuits { get; } = [];

    /// <summary>Tabs that did not open (each with why).</summary>
    public List<string> FailedToOpen { get; } = [];

    public async Task SignInAsync(IEnumerable<int> accounts)
    {
        var wanted = accounts.Distinct().Where(a => !_accounts.ContainsKey(a)).ToList();
        var signedIn = new SignedInAccount[wanted.Count];
        await Parallel.ForAsync(0, wanted.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, token) =>
            signedIn[i] = await SignedInAccount.SignInAsync(new Uri(server.BaseUrl), database.Users[wanted[i]].UserName, BenchDatabase.Password, token));
        for (var i = 0; i < wanted.Count; i++)
        {
            _accounts[wanted[i]] = signedIn[i];
        }
    }

    /// <summary>
    /// Opens a tab per (chat, account), in order of the list but a few at a time. A person's first tab is the one they
    /// look at (visible and focused); their others are hidden tabs, as in a browser with many tabs open.
    /// </summary>
    public async Task OpenAsync(IReadOnlyList<(int Chat, int Account)> tabs, BrowserProfile browser, int parallelism = Parallelism)
    {
        await SignInAsync(tabs.Select(t => t.Account));
        var profiles = tabs.Select(t => browser with { Attentive = browser.Attentive && NextTab(t.Account) == 0 }).ToList();
        var opened = new OpenCircuit?[tabs.Count];
        await Parallel.ForAsync(0, tabs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, token) =>
        {
            var (chat, account) = tabs[i];
            try
            {
                var circuit = await BlazorCircuit.OpenAsync(_accounts[account], $"/chats/{database.ChatIds[chat]}", profiles[i], OpenTimeout, token);
                opened[i] = new OpenCircuit(circuit, chat, account);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or IOException)
            {
                lock (FailedToOpen)
                {
                    FailedToOpen.Add($"chat {chat}, {database.Users[account].UserName}: {e.Message}");
                }
            }
        });
        Circuits.AddRange(opened.OfType<OpenCircuit>());
    }

    private int NextTab(int account)
    {
        var tab = _tabs.GetValueOrDefault(account);
        _tabs[account] = tab + 1;
        return tab;
    }

    /// <summary>Closes every tab (the people stay signed in).</summary>
    public async Task CloseAllAsync()
    {
        await Parallel.ForEachAsync(Circuits, async (c, _) => await c.Circuit.DisposeAsync());
        Circuits.Clear();
        _tabs.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        foreach (var account in _accounts.Values)
        {
            account.Dispose();
        }
    }
}
