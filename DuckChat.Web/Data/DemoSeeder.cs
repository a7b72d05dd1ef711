using DuckChat.Web.Accounts;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Data;

/// <summary>With DuckChat:Demo:Seed, fills an empty database with alice, bob and carol and a few chats.</summary>
public sealed class DemoSeeder(
    UserManager<ApplicationUser> users,
    IDbContextFactory<ChatDbContext> factory,
    IOptions<DemoOptions> options,
    TimeProvider time)
{
    public const string Password = "Quack2026";

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Value.Seed || await users.Users.AnyAsync(u => u.UserName != null && u.UserName != "admin", cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var people = new Dictionary<string, ApplicationUser>();
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            var user = new ApplicationUser { UserName = name, Email = $"{name}@example.com", EmailConfirmed = true, CreatedAt = now };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new StartupException($"Could not create demo user {name}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }

            people[name] = user;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        AddChat(db, Direct(people["alice"], people["bob"], now), now,
            (people["alice"], "Hi Bob! Welcome to DuckChat."),
            (people["bob"], "Thanks Alice. Quack!"),
            (people["alice"], "Messages arrive live in every tab."));
        AddChat(db, Direct(people["alice"], people["carol"], now), now,
            (people["carol"], "Lunch at noon?"),
            (people["alice"], "Sounds good."));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Chat Direct(ApplicationUser a, ApplicationUser b, DateTime now) => new()
    {
        Kind = ChatKind.Direct,
        DirectKey = Chat.DirectKeyFor(a.Id, b.Id),
        CreatedAt = now,
        Members =
        [
            new ChatMember { UserId = a.Id, Role = ChatRole.Member, JoinedAt = now },
            new ChatMember { UserId = b.Id, Role = ChatRole.Member, JoinedAt = now },
        ],
    };

    private static void AddChat(ChatDbContext db, Chat chat, DateTime now, params (ApplicationUser Sender, string Body)[] messages)
    {
        db.Chats.Add(chat);
        foreach (var (sender, body) in messages)
        {
            chat.LastSeq++;
            db.Messages.Add(new Message
            {
                Chat = chat, Seq = chat.LastSeq, SenderId = sender.Id, Body = body, SentAt = now, ClientMessageId = Guid.NewGuid(),
                SearchText = Search.SearchText.ForIndex(body, MessageKind.Text, deleted: false),
            });
        }

        chat.LastMessageAt = now;
        foreach (var member in chat.Members)
        {
            member.LastReadSeq = chat.LastSeq;
        }
    }
}
