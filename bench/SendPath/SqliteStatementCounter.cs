using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace DuckChat.Bench.SendPath;

/// <summary>What SQLite started: a statement run by a caller, a trigger fired, or a statement run inside one.</summary>
public enum StatementKind { Statement, TriggerFired, InTrigger }

/// <summary>How often SQLite started one statement text; <see cref="Trigger"/> names the trigger for the trigger kinds.</summary>
public sealed record StatementCount(StatementKind Kind, string? Trigger, string Sql, long Count)
{
    /// <summary>The statement's first keyword (SELECT, BEGIN, COMMIT, SAVEPOINT, ...), after leading comments; TRIGGER for a firing.</summary>
    public string Verb => Kind == StatementKind.TriggerFired ? "TRIGGER" : SqliteStatementCounter.VerbOf(Sql);
}

/// <summary>
/// Counts every statement SQLite itself starts on one database file, whoever asked for it: EF Core's commands, raw
/// ADO.NET commands on a connection of their own, Microsoft.Data.Sqlite's BEGIN, COMMIT and SAVEPOINT, anything run
/// when a connection opens; and every trigger that fires, by name, with the statements it runs. It is SQLite's own
/// trace hook (<c>sqlite3_trace_v2</c>, <c>SQLITE_TRACE_STMT</c>), called with SQLite's statement text as each
/// statement starts and as each trigger program is entered. SQLitePCLRaw 2.1 exposes only the legacy
/// <c>sqlite3_trace</c> (which expands every bound parameter into a new string), so this calls the C API of the same
/// e_sqlite3 library directly, and sets the hook on every connection to the file as SQLite opens it
/// (<c>sqlite3_auto_extension</c>): no connection escapes, whoever opens it. Connections opened before
/// <see cref="Watch"/> are not traced, so watch the file before anything opens it.
/// </summary>
/// <remarks>
/// The hook runs on the thread that runs the statement and allocates nothing once a text has been seen: the cost of a
/// counted statement is a managed call from native code, a UTF-8 decode and a dictionary lookup (well under a
/// microsecond), so send-path CPU and allocations can be measured with it on.
/// </remarks>
public sealed unsafe partial class SqliteStatementCounter : IDisposable
{
    private const string Library = "e_sqlite3";
    private const uint TraceStatement = 0x01; // SQLITE_TRACE_STMT
    private const string TriggerPrefix = "-- TRIGGER ";
    private const char KeySeparator = '\u0001';
    private const int StackChars = 1024;

    private static readonly ConcurrentDictionary<string, SqliteStatementCounter> ByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<nint, SqliteStatementCounter> ById = new();
    private static readonly Lock Registration = new();
    private static bool _registered;
    private static int _lastId;

    /// <summary>The trigger whose program this thread's connection is running (SQLite calls the hook on that thread, in order).</summary>
    [ThreadStatic]
    private static string? _currentTrigger;

    private readonly nint _id;
    private readonly string _file;
    private readonly ConcurrentDictionary<string, Tally> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Tally>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ConcurrentDictionary<string, string> _triggerNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _triggerLookup;
    private long _connections;
    private long _texts;

    private SqliteStatementCounter(nint id, string file)
    {
        _id = id;
        _file = file;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        _triggerLookup = _triggerNames.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Connections to the file that SQLite opened since <see cref="Watch"/>, each with the hook set.</summary>
    public long ConnectionsTraced => Interlocked.Read(ref _connections);

    /// <summary>Counts statements on <paramref name="databaseFile"/> from now on (one counter per file at a time).</summary>
    public static SqliteStatementCounter Watch(string databaseFile)
    {
        lock (Registration)
        {
            if (!_registered)
            {
                var result = sqlite3_auto_extension(&OnOpen);
                if (result != 0)
                {
                    throw new InvalidOperationException($"sqlite3_auto_extension failed with SQLite result {result}.");
                }

                _registered = true;
            }
        }

        var counter = new SqliteStatementCounter(Interlocked.Increment(ref _lastId), Path.GetFullPath(databaseFile));
        if (!ByFile.TryAdd(counter._file, counter))
        {
            throw new InvalidOperationException($"{counter._file} is already watched.");
        }

        ById[counter._id] = counter;
        return counter;
    }

    /// <summary>Every count so far, by internal key, with the order in which each text was first seen; subtract two with <see cref="Between"/>.</summary>
    public IReadOnlyDictionary<string, (long Count, long FirstSeen)> Snapshot() =>
        _counts.ToDictionary(c => c.Key, c => (Interlocked.Read(ref c.Value.Count), c.Value.FirstSeen), StringComparer.Ordinal);

    /// <summary>What SQLite started between two snapshots: most frequent first, then in the order first seen.</summary>
    public static List<StatementCount> Between(IReadOnlyDictionary<string, (long Count, long FirstSeen)> before, IReadOnlyDictionary<string, (long Count, long FirstSeen)> after) =>
        after.Select(c => (c.Key, Count: c.Value.Count - before.GetValueOrDefault(c.Key).Count, c.Value.FirstSeen))
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.FirstSeen)
            .Select(c => FromKey(c.Key, c.Count))
            .ToList();

    /// <summary>The first keyword of a statement, upper case, after white space and comments.</summary>
    public static string VerbOf(string sql)
    {
        var rest = sql.AsSpan();
        while (true)
        {
            rest = rest.TrimStart();
            if (rest.StartsWith("--", StringComparison.Ordinal))
            {
                var end = rest.IndexOf('\n');
                rest = end < 0 ? [] : rest[(end + 1)..];
            }
            else if (rest.StartsWith("/*", StringComparison.Ordinal))
            {
                var end = rest.IndexOf("*/", StringComparison.Ordinal);
                rest = end < 0 ? [] : rest[(end + 2)..];
            }
            else
            {
                break;
            }
        }

        var length = 0;
        while (length < rest.Length && char.IsAsciiLetter(rest[length]))
        {
            length++;
        }

        return length == 0 ? "?" : rest[..length].ToString().ToUpperInvariant();
    }

    public void Dispose()
    {
        // Connections still open keep the hook; with the counter gone from the table it counts nothing.
        ById.TryRemove(_id, out _);
        ByFile.TryRemove(new KeyValuePair<string, SqliteStatementCounter>(_file, this));
    }

    private static StatementCount FromKey(string key, long count)
    {
        var kind = (StatementKind)(key[0] - '0');
        var separator = key.IndexOf(KeySeparator, StringComparison.Ordinal);
        var trigger = separator > 1 ? key[1..separator] : null;
        return new StatementCount(kind, trigger, key[(separator + 1)..], count);
    }

    /// <summary>SQLite's auto-extension: called for every connection it opens, before the connection is handed out.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnOpen(nint db, nint errorMessage, nint api)
    {
        try
        {
            if (ByFile.IsEmpty)
            {
                return 0;
            }

            nint name;
            fixed (byte* main = "main"u8)
            {
                name = sqlite3_db_filename(db, main);
            }

            if (name != 0 && ByFile.TryGetValue(Marshal.PtrToStringUTF8(name)!, out var counter))
            {
                sqlite3_trace_v2(db, TraceStatement, &OnTrace, counter._id);
                Interlocked.Increment(ref counter._connections);
            }
        }
        catch (Exception)
        {
            // Never throw into SQLite: an untraced connection shows up as missing counts, not as a crash.
        }

        return 0;
    }

    /// <summary>SQLite's trace hook: a statement starts, or a trigger program (or a statement in it) is entered.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnTrace(uint type, nint context, nint statement, nint text)
    {
        try
        {
            if (type == TraceStatement && text != 0 && ById.TryGetValue(context, out var counter))
            {
                // A statement's own text is the prepared statement's SQL; a trigger's is a comment SQLite writes for it.
                counter.Count(new ReadOnlySpan<byte>((byte*)text, strlen((byte*)text)), topLevel: text == sqlite3_sql(statement));
            }
        }
        catch (Exception)
        {
            // As above: a count lost is better than a native caller unwound by a managed exception.
        }

        return 0;
    }

    private void Count(ReadOnlySpan<byte> utf8, bool topLevel)
    {
        var rented = utf8.Length + 2 > StackChars ? ArrayPool<char>.Shared.Rent(utf8.Length + 2) : null;
        Span<char> text = rented is null ? stackalloc char[StackChars] : rented;
        var length = Encoding.UTF8.GetChars(utf8, text);
        var sql = text[..length];
        StatementKind kind;
        ReadOnlySpan<char> trigger = [];
        if (topLevel)
        {
            kind = StatementKind.Statement;
            _currentTrigger = null;
        }
        else if (sql.StartsWith(TriggerPrefix, StringComparison.Ordinal))
        {
            kind = StatementKind.TriggerFired;
            _currentTrigger = TriggerName(sql[TriggerPrefix.Length..]);
            trigger = _currentTrigger;
            sql = [];
        }
        else
        {
            // A statement of a trigger's program (SQLite writes it as "-- " and its text), or SQL run by a function.
            kind = StatementKind.InTrigger;
            trigger = _currentTrigger;
            sql = sql.StartsWith("-- ", StringComparison.Ordinal) ? sql[3..] : sql;
        }

        Increment(kind, trigger, sql);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private string TriggerName(ReadOnlySpan<char> name) =>
        _triggerLookup.TryGetValue(name, out var known) ? known : _triggerNames.GetOrAdd(name.ToString(), static n => n);

    /// <summary>Counts under a key of the kind, the trigger and the text; only a text not seen before allocates.</summary>
    private void Increment(StatementKind kind, ReadOnlySpan<char> trigger, ReadOnlySpan<char> sql)
    {
        var size = 2 + trigger.Length + sql.Length;
        var rented = size > StackChars ? ArrayPool<char>.Shared.Rent(size) : null;
        Span<char> buffer = rented is null ? stackalloc char[StackChars] : rented;
        var key = buffer[..size];
        key[0] = (char)('0' + (int)kind);
        trigger.CopyTo(key[1..]);
        key[1 + trigger.Length] = KeySeparator;
        sql.CopyTo(key[(2 + trigger.Length)..]);
        if (!_lookup.TryGetValue(key, out var tally))
        {
            tally = _counts.GetOrAdd(key.ToString(), static (_, counter) => new Tally(Interlocked.Increment(ref counter._texts)), this);
        }

        Interlocked.Increment(ref tally.Count);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>How often one text was started, and when it was first seen (1, 2, ...).</summary>
    private sealed class Tally(long firstSeen)
    {
        public long Count;

        public long FirstSeen { get; } = firstSeen;
    }

    private static int strlen(byte* text)
    {
        var length = 0;
        while (text[length] != 0)
        {
            length++;
        }

        return length;
    }

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_auto_extension(delegate* unmanaged[Cdecl]<nint, nint, nint, int> entryPoint);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_trace_v2(nint db, uint mask, delegate* unmanaged[Cdecl]<uint, nint, nint, nint, int> callback, nint context);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nint sqlite3_db_filename(nint db, byte* databaseName);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nint sqlite3_sql(nint statement);
}
