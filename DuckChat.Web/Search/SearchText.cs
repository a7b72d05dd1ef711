using System.Text;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Data;

namespace DuckChat.Web.Search;

/// <summary>
/// What search matches for a message (the Messages.SearchText column): its plain text with link addresses, and for
/// text holding CJK a tail of every CJK character pair, each followed by <see cref="BigramMark"/>. The index matches
/// runs of three characters; most CJK words are two, so a two-character query <c>Q</c> is looked up as the
/// three-character <c>Q + BigramMark</c>, which only the tail holds.
/// </summary>
public static class SearchText
{
    /// <summary>A private-use character that no message text holds after <see cref="ForIndex"/> strips it.</summary>
    public const char BigramMark = '\uE000';

    // Characters that show nothing and mean nothing (zero-width space, word joiner, byte order mark): a word pasted with
    // one inside is still the word. Joiners (ZWJ, ZWNJ) stay: they shape emoji and some scripts.
    private static readonly HashSet<char> Invisible = ['\u200B', '\u2060', '\uFEFF'];

    /// <summary>
    /// The text to index, or null when the message is not to be found at all: deleted or removed by an admin, or a
    /// line the system wrote. A message sent only for its files has empty text, so it is still there for operators.
    /// </summary>
    public static string? ForIndex(string body, MessageKind kind, bool deleted)
    {
        if (deleted || kind == MessageKind.System)
        {
            return null;
        }

        var text = string.Concat(MessageFormatter.SearchableText(body).Where(c => c != BigramMark && !Invisible.Contains(c)));
        var tail = BigramTail(text);
        return tail.Length == 0 ? text : text + "\n" + tail;
    }

    /// <summary>Han, kana and Hangul: the scripts written without spaces between words (or, for Hangul, searched as such).</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u3400' and <= '\u4DBF' // CJK Unified Ideographs Extension A
            or >= '\u4E00' and <= '\u9FFF' // CJK Unified Ideographs
            or >= '\uF900' and <= '\uFAFF' // CJK Compatibility Ideographs
            or >= '\u3040' and <= '\u30FF' // Hiragana, Katakana
            or >= '\u31F0' and <= '\u31FF' // Katakana Phonetic Extensions
            or >= '\u1100' and <= '\u11FF' // Hangul Jamo
            or >= '\u3130' and <= '\u318F' // Hangul Compatibility Jamo
            or >= '\uAC00' and <= '\uD7AF' // Hangul Syllables
            or >= '\uFF66' and <= '\uFF9F'; // Halfwidth Katakana

    // Each pair once: a repeated word matches as well with one entry, and the index stays smaller.
    private static string BigramTail(string text)
    {
        var tail = new StringBuilder();
        var seen = new HashSet<(char, char)>();
        for (var i = 1; i < text.Length; i++)
        {
            if (IsCjk(text[i - 1]) && IsCjk(text[i]) && seen.Add((text[i - 1], text[i])))
            {
                tail.Append(tail.Length > 0 ? " " : "").Append(text[i - 1]).Append(text[i]).Append(BigramMark);
            }
        }

        return tail.ToString();
    }
}
