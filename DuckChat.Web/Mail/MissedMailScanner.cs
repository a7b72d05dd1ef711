using System.Linq.Expressions;
using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Mail;

/// <summary>
/// Every <see cref="MissedMailOptions.Interval"/>, looks for people who have been away for
/// <see cref="MissedMailOptions.After"/> with direct messages or mentions they missed (<see cref="MissedMessages"/>)
/// that arrived since they were last seen and since their last such mail, and queues one mail for each. Each instance
/// runs one; a mail is claimed on the person's row (<see cref="ApplicationUser.MissedMailAt"/>, a conditional UPDATE
/// that only one instance can win), so a person gets at most one per window however many instances look.
/// What the mail lists is written when it is sent (<see cref="MissedMailComposer"/>).
/// </summary>
public sealed class MissedMailScanner(
    IDbContextFactory<ChatDbContext> factory,
    MailQueue queue,
    IOptions<MissedMailOptions> options,
    IOptions<SmtpOptions> smtp,
    Presence.PresenceTracker presence,
    TimeProvider time,
    ILogger<MissedMailScanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!smtp.Value.IsConfigured || !options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.Interval, time, stoppingToken);
            try
            {
                await QueueDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is in trouble: the next look finds the same people.
                logger.LogError(e, "Could not look for people to mail about missed messages");
            }
        }
    }

    /// <summary>
    /// Queues a mail for each person who is due one, a page of <see cref="MissedMailOptions.PeoplePerPass"/> at a time;
    /// returns how many it queued. Pages follow each other by Id, so people passed over (a tab open, or claimed by
    /// another instance) never keep those after them from their turn.
    /// </summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var queued = 0;
        for (var after = ""; ;)
        {
            var people = await DuePageAsync(now, after, cancellationToken);
            queued += await QueueAsync(people, now, cancellationToken);
            if (people.Count < options.Value.PeoplePerPass)
            {
                break;
            }

            after = people[^1].Id;
        }

        if (queued > 0)
        {
            logger.LogInformation("Queued {Count} missed-messages mails", queued);
        }

        return queued;
    }

    private async Task<List<Person>> DuePageAsync(DateTime now, string after, CancellationToken cancellationToken)
    {
        var due = Due(now, options.Value.After);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await MissedMessages.Unread(db)
            // The same bounds on the chat's last activity first: chats quiet since then are passed over before
            // any of their unread messages is looked at.
            .Where(r => (r.User.MissedMailAt == null || r.Chat.LastMessageAt > r.User.MissedMailAt)
                && (r.User.LastSeenAt == null || r.Chat.LastMessageAt > r.User.LastSeenAt))
            .Where(r => r.Message.SentAt <= now
                && (r.User.MissedMailAt == null || r.Message.SentAt > r.User.MissedMailAt)
                && (r.User.LastSeenAt == null || r.Message.SentAt > r.User.LastSeenAt))
            .Select(r => r.User).Where(due).Where(u => string.Compare(u.Id, after) > 0)
            .Select(u => new { u.Id, u.MissedMailAt, u.LastSeenAt }).Distinct()
            .OrderBy(p => p.Id).Take(options.Value.PeoplePerPass)
            .Select(p => new Person(p.Id, p.MissedMailAt, p.LastSeenAt))
            .ToListAsync(cancellationToken);
    }

    private async Task<int> QueueAsync(List<Person> people, DateTime now, CancellationToken cancellationToken)
    {
        var due = Due(now, options.Value.After);
        var queued = 0;
        // "Last seen" is written when a person's last tab closes: someone with a tab open on any instance is here.
        foreach (var person in people.Where(p => !presence.HasOpenTab(p.Id)))
        {
            // The mail covers what arrived since the later of the last mail and the last sighting: what came before
            // was mailed already, or arrived while the person was there.
            var from = person.MissedMailAt > person.LastSeenAt || person.LastSeenAt is null ? person.MissedMailAt : person.LastSeenAt;
            var claimed = await queue.EnqueueClaimedAsync(MailKind.MissedMessages, person.Id, from, now, db => db.Users
                .Where(u => u.Id == person.Id && u.MissedMailAt == person.MissedMailAt && u.LastSeenAt == person.LastSeenAt)
                .Where(due)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MissedMailAt, now), cancellationToken));
            if (claimed)
            {
                queued++;
            }
        }

        return queued;
    }

    /// <summary>
    /// Who may get a mail now: someone with an address who wants these mails, who is away, and whose last mail is a
    /// window old. (A locked account is claimed too, and gets nothing: <see cref="MissedMailComposer"/>.)
    /// </summary>
    private static Expression<Func<ApplicationUser, bool>> Due(DateTime now, TimeSpan after)
    {
        var cutoff = now - after;
        return u => u.Email != null && !u.MissedMailOff && u.Notify != NotifyLevel.Nothing
            // Away: not seen for a window. This is the one place that decides who is away.
            && (u.LastSeenAt == null || u.LastSeenAt < cutoff)
            && (u.MissedMailAt == null || u.MissedMailAt <= cutoff);
    }

    private sealed record Person(string Id, DateTime? MissedMailAt, DateTime? LastSeenAt);
}
