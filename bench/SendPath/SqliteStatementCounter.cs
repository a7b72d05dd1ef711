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
/// counted statement is a managed call from native code, a hash of its UTF-8 bytes and a dictionary lookup, 0.2–1 µs
/// for a 200-character statement on a busy 2-core machine (against 5–9 µs to run it). So send-path CPU and
/// allocations are measured with it on; at the target of 3 statements a send it is about 1 % of 500 µs.
/// </remarks>
public sealed unsafe partial class SqliteStatementCounter : IDisposable
{
    private const string Library = "e_sqlite3";
    private const uint TraceStatement = 0x01; // SQLITE_TRACE_STMT
    private const char KeySeparator = '\u0001';
    private const int StackBytes = 1024;

    private static readonly ConcurrentDictionary<string, SqliteStatementCounter> ByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<nint, SqliteStatementCounter> ById = new();
    private static readonly Lock Registration = new();
    private static bool _registered;
    private static int _lastId;

    /// <summary>The trigger whose program this thread's connection is running (SQLite calls the hook on that thread, in order).</summary>
    [ThreadStatic]
    private static byte[]? _currentTrigger;

    private readonly nint _id;
    private readonly string _file;

    // Keyed by the UTF-8 bytes SQLite hands over (kind, trigger, separator, text): counting decodes nothing.
    private readonly ConcurrentDictionary<byte[], Tally> _counts = new(Utf8Comparer.Instance);
    private readonly ConcurrentDictionary<byte[], Tally>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly ConcurrentDictionary<byte[], byte[]> _triggerNames = new(Utf8Comparer.Instance);
    private readonly ConcurrentDictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _triggerLookup;
    private long _connections;
    private long _texts;

    private SqliteStatementCounter(nint id, string file)
    {
        _id = id;
        _file = file;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<byte>>();
        _triggerLookup = _triggerNames.GetAlternateLookup<ReadOnlySpan<byte>>();
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
        _counts.ToDictionary(c => Encoding.UTF8.GetString(c.Key), c => (Interlocked.Read(ref c.Value.Count), c.Value.FirstSeen), StringComparer.Ordinal);

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
                counter.Count(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)text), topLevel: text == sqlite3_sql(statement));
            }
        }
        catch (Exception)
        {
            // As above: a count lost is better than a native caller unwound by a managed exception.
        }

        return 0;
    }

    private void Count(ReadOnlySpan<byte> sql, bool topLevel)
    {
        StatementKind kind;
        ReadOnlySpan<byte> trigger = [];
        if (topLevel)
        {
            kind = StatementKind.Statement;
            _currentTrigger = null;
        }
        else if (sql.StartsWith("-- TRIGGER "u8))
        {
            kind = StatementKind.TriggerFired;
            var name = sql["-- TRIGGER "u8.Length..];
            _currentTrigger = _triggerLookup.TryGetValue(name, out var known) ? known : _triggerNames.GetOrAdd(name.ToArray(), static n => n);
            trigger = _currentTrigger;
            sql = [];
        }
        else
        {
            // A statement of a trigger's program (SQLite writes it as "-- " and its text), or SQL run by a function.
            kind = StatementKind.InTrigger;
            trigger = _currentTrigger;
            sql = sql.StartsWith("-- "u8) ? sql[3..] : sql;
        }

        Increment(kind, trigger, sql);
    }

    /// <summary>Counts under a key of the kind, the trigger and the text; only a text not seen before allocates.</summary>
    [SkipLocalsInit] // the key buffer is written before it is read: no need to clear a kilobyte per statement
    private void Increment(StatementKind kind, ReadOnlySpan<byte> trigger, ReadOnlySpan<byte> sql)
    {
        var size = 2 + trigger.Length + sql.Length;
        var rented = size > StackBytes ? ArrayPool<byte>.Shared.Rent(size) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[StackBytes] : rented;
        var key = buffer[..size];
        key[0] = (byte)('0' + (int)kind);
        trigger.CopyTo(key[1..]);
        key[1 + trigger.Length] = (byte)KeySeparator;
        sql.CopyTo(key[(2 + trigger.Length)..]);
        if (!_lookup.TryGetValue(key, out var tally))
        {
            tally = _counts.GetOrAdd(key.ToArray(), static (_, counter) => new Tally(Interlocked.Increment(ref counter._texts)), this);
        }

        Interlocked.Increment(ref tally.Count);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>How often one text was started, and when it was first seen (1, 2, ...).</summary>
    private sealed class Tally(long firstSeen)
    {
        public long Count;

        public long FirstSeen { get; } = firstSeen;
    }

    /// <summary>UTF-8 keys compared by their bytes, and looked up by a span of them without making an array.</summary>
    private sealed class Utf8Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes) => GetHashCode(bytes.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
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
