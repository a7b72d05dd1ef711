using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DuckChat.Web.Accounts;

/// <summary>
/// A key that two usernames share when they look alike, so nobody can pose as someone else with letters drawn the
/// same: Armenian "օ" in "bօb", IPA "ɑ" in "ɑlice", a capital "I" in "pauI". <see cref="UserNameRules"/> knows only
/// Latin, Greek and Cyrillic; this uses Unicode's confusables data (UTS #39, vendored in Accounts/Data),
/// which covers every script. The key ignores case, so a unique index on it also keeps out every name that Identity's
/// normalized name would.
/// </summary>
/// <remarks>
/// <see cref="Of"/> is, in order:
/// <list type="number">
/// <item>form KC, then upper-invariant: exactly <see cref="UserNameNormalizer.NormalizeName"/>, so names Identity
/// counts as one always share a key;</item>
/// <item><see cref="Skeleton"/> of that, which maps capitals that look like something else (I → l, Cherokee Ꭺ → A,
/// Old Italic 𐌁 → B);</item>
/// <item>lower-invariant, then <see cref="Skeleton"/> again, which maps small letters (ɑ → a, Armenian օ → o,
/// m → rn);</item>
/// <item>upper-invariant, so prototypes that differ only in case meet (the data maps 0 to O, not to o).</item>
/// </list>
/// The price of ignoring case: a key that puts "I" with "l" must put "i" there too, so "neil" and "nell" share one. A
/// small letter whose capital is drawn differently follows its capital (Greek σ is not taken for o, Cyrillic г not for
/// r), and a capital's prototype is mapped again once lower-cased, which now and then joins letters that do not look
/// alike (Cyrillic г and y, through Greek Γ and γ). The key is for comparing, not for showing: it is in form D.
/// </remarks>
public static class UserNameSkeleton
{
    private const string ResourceName = "DuckChat.Web.Accounts.Data.confusables.json";

    private static readonly Lazy<ConfusablesTable> Table = new(LoadTable);

    /// <summary>The Unicode release of the confusables data; keys made from another release may differ.</summary>
    public const string DataVersion = "13.0.0";

    /// <summary>How many characters the data maps.</summary>
    public static int MappedCharacters => Table.Value.Count;

    /// <summary>The look-alike key of a username; see the remarks on <see cref="UserNameSkeleton"/>.</summary>
    public static string Of(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var normalized = userName.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        return Skeleton(Skeleton(normalized).ToLowerInvariant()).ToUpperInvariant();
    }

    /// <summary>
    /// UTS #39 section 4 skeleton(X): form D, every code point replaced by its prototype from the confusables data, form D
    /// again. Case matters here ("I" becomes "l", "i" stays). Text in form D that has nothing to map comes back as it is.
    /// </summary>
    public static string Skeleton(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var table = Table.Value;

        // One pass to learn the mapped length (and whether anything maps at all), one to write it.
        var length = 0;
        var changed = false;
        for (var i = 0; i < decomposed.Length;)
        {
            var codePoint = CodePointAt(decomposed, i, out var width);
            if (table.TryGetPrototype(codePoint, out var prototype))
            {
                length += prototype.Length;
                changed = true;
            }
            else
            {
                length += width;
            }

            i += width;
        }

        if (!changed)
        {
            return decomposed;
        }

        var mapped = string.Create(length, (decomposed, table), static (destination, state) =>
        {
            var (source, map) = state;
            var written = 0;
            for (var i = 0; i < source.Length;)
            {
                var codePoint = CodePointAt(source, i, out var width);
                var replacement = map.TryGetPrototype(codePoint, out var prototype) ? prototype.AsSpan() : source.AsSpan(i, width);
                replacement.CopyTo(destination[written..]);
                written += replacement.Length;
                i += width;
            }
        });
        return mapped.Normalize(NormalizationForm.FormD);
    }

    // Form D has refused ill-formed UTF-16 already; a lone surrogate would stand for itself (the data maps none).
    private static int CodePointAt(string text, int index, out int width)
    {
        if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(text[index], text[index + 1]);
        }

        width = 1;
        return text[index];
    }

    private static ConfusablesTable LoadTable()
    {
        using var stream = typeof(UserNameSkeleton).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no resource {ResourceName}.");

        // Each entry maps one source character (a code point, so perhaps a surrogate pair) to its prototype.
        var prototypes = new Dictionary<int, string>();
        foreach (var (source, prototype) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                     ?? throw new InvalidDataException($"{ResourceName} is empty."))
        {
            prototypes.Add(CodePointAt(source, 0, out var width) is var codePoint && width == source.Length
                ? codePoint
                : throw new InvalidDataException($"{ResourceName}: '{source}' is not one character."), prototype);
        }

        return new ConfusablesTable(prototypes);
    }

    private sealed class ConfusablesTable(Dictionary<int, string> prototypes)
    {
        // Names are mostly ASCII: an array answers for those faster than the dictionary.
        private readonly string?[] ascii = [.. Enumerable.Range(0, 128).Select(c => prototypes.GetValueOrDefault(c))];
        private readonly FrozenDictionary<int, string> others = prototypes.ToFrozenDictionary();

        public int Count => others.Count;

        public bool TryGetPrototype(int codePoint, [NotNullWhen(true)] out string? prototype)
        {
            if (codePoint < ascii.Length)
            {
                prototype = ascii[codePoint];
                return prototype is not null;
            }

            return others.TryGetValue(codePoint, out prototype);
        }
    }
}
