using DuckChat.Web.Accounts;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Writing;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Chats.Mentions;

/// <summary>Which accounts a text's <c>@names</c> are, read only for a text that has one, so a plain send reads nothing more.</summary>
public static class MentionLookup
{
    private static readonly UserNameNormalizer Normalizer = new();

    /// <summary>The accounts named (by their names now) and the broadcast word, if any; null when the text mentions nobody.</summary>
    public static async Task<MentionedInText?> ReadAsync(ChatDbContext db, MessageFormatter formatter, string body)
    {
        var names = formatter.MentionedNames(body);
        if (names.Count == 0)
        {
            return null;
        }

        var broadcast = names.Select(Mention.BroadcastOf).Max();
        var normalized = names.Where(n => Mention.BroadcastOf(n) is null).Select(n => Normalizer.NormalizeName(n)!).ToList();
        var people = normalized.Count == 0
            ? []
            : await db.Users.Where(u => normalized.Contains(u.NormalizedUserName!)).Select(u => new UserHit(u.Id, u.UserName!)).ToListAsync();
        return people.Count == 0 && broadcast is null ? null : new MentionedInText(people, broadcast);
    }
}

/// <summary>The people a text names with <c>@name</c> (whoever they are) and its <c>@here</c>/<c>@all</c>.</summary>
public sealed record MentionedInText(IReadOnlyList<UserHit> People, MentionKind? Broadcast)
{
    public MentionTargets Targets(IReadOnlyList<string> onlineIds) => new(People.Select(p => p.Id).ToList(), Broadcast, onlineIds);

    /// <summary>What a page shows of the mentions the writer recorded: the members named, and the broadcast if it reached anyone.</summary>
    public IReadOnlyList<Mention> Shown(IReadOnlyList<Mentioned> recorded) =>
        People.Where(p => recorded.Any(r => r.UserId == p.Id && r.Kind == MentionKind.Person))
            .Select(p => new Mention(p.Id, p.UserName, MentionKind.Person))
            .Concat(recorded.Where(r => r.Kind != MentionKind.Person).Select(r => r.Kind).Distinct()
                .Select(kind => new Mention(null, kind == MentionKind.All ? Mention.All : Mention.Here, kind)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
}
