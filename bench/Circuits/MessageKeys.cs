using System.Text;

namespace DuckChat.Bench.Circuits;

/// <summary>
/// Finds the bench's message markers ("live-12;", "warm-3;") in a render batch. A batch's string table holds
/// every text it writes into the page as UTF-8, so a new message's text is in the batch that shows it.
/// </summary>
public static class MessageKeys
{
    private static readonly byte[][] Prefixes = [.. new[] { "live-", "warm-" }.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Each marker in the bytes, in the order it occurs (a marker can occur more than once).</summary>
    public static List<string> Find(ReadOnlySpan<byte> batch)
    {
        var found = new List<string>();
        foreach (var prefix in Prefixes)
        {
            for (var start = 0; start < batch.Length;)
            {
                var at = batch[start..].IndexOf(prefix);
                if (at < 0)
                {
                    break;
                }

                var begin = start + at;
                var digits = begin + prefix.Length;
                var end = digits;
                while (end < batch.Length && batch[end] is >= (byte)'0' and <= (byte)'9')
                {
                    end++;
                }

                if (end > digits && end < batch.Length && batch[end] == (byte)';')
                {
                    found.Add(Encoding.ASCII.GetString(batch[begin..(end + 1)]));
                }

                start = end;
            }
        }

        return found;
    }
}
