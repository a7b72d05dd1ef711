using System.Data.Common;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Search;

/// <summary>
/// Searches the signed-in person's messages: only chats they are a member of at the moment of the search (their whole
/// history, as scrolling shows it), never deleted or removed messages, edited ones by their current text. One search
/// at a time per circuit: a new one cancels the one still running. Each runs off the circuit on its own connection,
/// never the writer's, in one read snapshot; SQLite's statements ignore cancellation, so a cancelled or timed-out
/// search interrupts its connection. A search counts against the person's change budget.
/// </summary>
public sealed class MessageSearch(
    CurrentUser currentUser,
    PersonRateLimits rateLimits,
    MessageFormatter formatter,
    DatabaseLocation location,
    SearchIndexBackfill backfill,
    IOptions<DatabaseOptions> database,
    IOptions<SearchOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;

    private SearchOptions Options => options.Value;

    /// <summary>
    /// One page of hits for <paramref name="text"/>, newest first, older than <paramref name="after"/> when given.
    /// <paramref name="zone"/> is the person's time zone, for <c>before:</c> and <c>after:</c> days (UTC when null).
    /// </summary>
    public async Task<SearchResults> SearchAsync(string text, SearchCursor? after, CancellationToken cancellationToken, TimeZoneInfo? zone = null)
    {
        if (text.Length > Options.MaxQueryLength)
        {
            return SearchResults.Not(SearchOutcome.TooLong, SearchQuery.Parse(""));
        }

        var query = SearchQuery.Parse(text);
        if (query.IsEmpty)
        {
            return SearchResults.Not(SearchOutcome.Empty, query);
        }

        // Taken before anything is awaited, so searches supersede each other in the order they were asked for.
        using var mine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_gate)
        {
            _running?.Cancel();
            _running = mine;
        }

        try
        {
            var (me, _) = await currentUser.GetAsync();
            if (mine.IsCancellationRequested)
            {
                return SearchResults.Not(SearchOutcome.Cancelled, query); // superseded already: it costs nothing
            }

            if (!rateLimits.TryWrite(me))
            {
                return SearchResults.Not(SearchOutcome.RateLimited, query);
            }

            using var timeout = new CancellationTokenSource(Options.Timeout);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(mine.Token, timeout.Token);
            // Read before the search runs: a backfill that finishes during it may have come too late for it.
            var stillIndexing = !backfill.IsDone;
            try
            {
                var results = await Task.Run(() => Run(query, me, after, zone ?? TimeZoneInfo.Utc, either.Token), either.Token);
                return results with { StillIndexing = stillIndexing };
            }
            catch (Exception e) when (either.IsCancellationRequested && e is OperationCanceledException or DbException)
            {
                return SearchResults.Not(mine.IsCancellationRequested ? SearchOutcome.Cancelled : SearchOutcome.TimedOut, query);
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_running == mine)
                {
                    _running = null;
                }
            }
        }
    }

    private SearchResults Run(SearchQuery query, string me, SearchCursor? after, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var sqlServer = database.Value.Provider == DatabaseProvider.SqlServer;
        using DbConnection connection = sqlServer ? new SqlConnection(location.ConnectionString) : new SqliteConnection(location.ConnectionString);
        connection.Open();
        if (connection is SqliteConnection sqlite)
        {
            SqliteConnectionSettings.SetBusyTimeout(sqlite, database.Value.CommandTimeout);
        }

        // Registered after the open and disposed before the close: the interrupt can only ever reach this search's
        // statements, never the next user of the pooled connection.
        using var interrupt = connection is SqliteConnection handle
            ? cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle.Handle))
            : default;
        // An interrupt given while no statement runs is lost: a search cancelled before its first statement stops here,
        // and one cancelled between two statements at the check after each batch.
        cancellationToken.ThrowIfCancellationRequested();
        // SQLite: a deferred transaction only reads, so it takes no write lock, and every statement sees one snapshot.
        using var snapshot = connection is SqliteConnection reading ? reading.BeginTransaction(deferred: true) : connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandTimeout = (int)Math.Ceiling(Options.Timeout.TotalSeconds);

        var chats = MyChats(command, me);
        var plan = Plan(query, me, chats, zone);
        var hits = new List<SearchHit>();
        var recentOnly = plan.Scans && query.Terms.Any(t => !t.Excluded);
        if (plan.ChatIds.Count == 0)
        {
            return new SearchResults(SearchOutcome.Found, query, hits, null, recentOnly);
        }

        var floor = 0L;
        if (recentOnly)
        {
            SearchStatements.RecentFloor(command, plan, Options.RecentScanLimit, sqlServer);
            floor = command.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id) : 0;
        }

        var below = after?.MessageId ?? long.MaxValue;
        var batch = Options.PageSize * 2;
        while (hits.Count <= Options.PageSize)
        {
            SearchStatements.Batch(command, plan, below, floor, batch, sqlServer);
            var rows = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read() && hits.Count <= Options.PageSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    rows++;
                    below = reader.GetInt64(0);
                    var chat = chats[reader.GetInt32(1)];
                    // The index can over-match (its folding is not ours, a phrase may span into the CJK tail, short words
                    // are not in it at all): every word is checked again on what search matches, links included.
                    if (TextMatches.Satisfies(reader.GetString(6), query.Terms))
                    {
                        var plain = formatter.PlainText(reader.GetString(4));
                        hits.Add(new SearchHit(below, chat.Id, chat.Name, chat.Kind, reader.GetInt64(2), reader.IsDBNull(5) ? null : reader.GetString(5),
                            DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc), plain, TextMatches.Find(plain, query.Terms)));
                    }
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (rows < batch && hits.Count <= Options.PageSize)
            {
                return new SearchResults(SearchOutcome.Found, query, hits, null, recentOnly);
            }
        }

        var page = hits.Take(Options.PageSize).ToList();
        return new SearchResults(SearchOutcome.Found, query, page, new SearchCursor(page[^1].SentAt, page[^1].MessageId), recentOnly);
    }

    private static Dictionary<int, ChatName> MyChats(DbCommand command, string me)
    {
        SearchStatements.MyChats(command, me);
        var chats = new Dictionary<int, ChatName>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var kind = (ChatKind)reader.GetInt32(1);
            var name = kind == ChatKind.Group
                ? reader.IsDBNull(2) ? "Group" : reader.GetString(2)
                : reader.IsDBNull(3) ? MessageView.DeletedUserName : reader.GetString(3);
            chats[reader.GetInt32(0)] = new ChatName(reader.GetInt32(0), kind, name);
        }

        return chats;
    }

    private static SearchPlan Plan(SearchQuery query, string me, Dictionary<int, ChatName> chats, TimeZoneInfo zone)
    {
        var chatIds = chats.Values
            .Where(chat => query.In.Count == 0 || query.In.Any(name => TextMatches.SameName(chat.Name, name)))
            .Select(chat => chat.Id).Order().ToList();
        var indexed = query.Terms.Where(t => !t.Excluded).SelectMany(t => SearchPlan.IndexedForms(t.Text)).ToList();
        if (query.HasLink)
        {
            // Every link holds "://", a trigram the index can find: has:link alone still uses the index.
            indexed.Add("://");
        }

        // An excluded term as typed: the index leaves out only messages that the recheck would leave out too.
        var excluded = indexed.Count == 0 ? [] : query.Terms.Where(t => t.Excluded).Select(t => SearchPlan.IndexedForm(t.Text)).OfType<string>().ToList();
        return new SearchPlan(me, chatIds, indexed, excluded, query.From, query.HasLink, query.HasFile,
            query.Before is { } before ? StartOf(before, zone) : null,
            query.After is { } afterDay ? StartOf(afterDay.AddDays(1), zone) : null,
            query.IsMention);
    }

    /// <summary>The instant <paramref name="day"/> begins in <paramref name="zone"/>, in UTC (a midnight skipped by a clock change begins an hour later).</summary>
    private static DateTime StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(midnight) ? midnight.AddHours(1) : midnight, zone);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _running?.Cancel();
        }
    }

    private sealed record ChatName(int Id, ChatKind Kind, string Name);
}
