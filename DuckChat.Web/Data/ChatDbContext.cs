using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DuckChat.Web.Data;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass so that each keeps its own
/// migration set (SQLite migrations cannot be replayed on SQL Server).
/// </summary>
public abstract class ChatDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Chat> Chats => Set<Chat>();
    public DbSet<ChatMember> ChatMembers => Set<ChatMember>();
    public DbSet<Message> Messages => Set<Message>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite hands DateTime back as Unspecified, so the kind is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.DarkMode).HasDefaultValue(true);
        });

        builder.Entity<Chat>(chat =>
        {
            chat.Property(c => c.Name).HasMaxLength(Chat.NameMaxLength);
            chat.Property(c => c.DirectKey).HasMaxLength(200);
            chat.HasIndex(c => c.DirectKey).IsUnique();
            // The chat list orders a member's chats by last activity.
            chat.HasIndex(c => c.LastMessageAt);
        });

        builder.Entity<ChatMember>(member =>
        {
            member.HasKey(m => new { m.ChatId, m.UserId });
            // "My chats": members by user.
            member.HasIndex(m => m.UserId);
            member.HasOne(m => m.Chat).WithMany(c => c.Members).HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Message>(message =>
        {
            // History pages are keyset ranges on (ChatId, Seq).
            message.HasIndex(m => new { m.ChatId, m.Seq }).IsUnique();
            message.HasIndex(m => new { m.SenderId, m.ClientMessageId }).IsUnique();
            message.HasOne(m => m.Chat).WithMany().HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);
            message.HasOne(m => m.Sender).WithMany().HasForeignKey(m => m.SenderId).OnDelete(DeleteBehavior.SetNull);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteChatDbContext(DbContextOptions<SqliteChatDbContext> options) : ChatDbContext(options);

public sealed class SqlServerChatDbContext(DbContextOptions<SqlServerChatDbContext> options) : ChatDbContext(options);
