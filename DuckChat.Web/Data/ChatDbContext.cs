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
    public DbSet<MessageReaction> MessageReactions => Set<MessageReaction>();
    public DbSet<MessageMention> MessageMentions => Set<MessageMention>();
    public DbSet<Admin.AuditEntry> AuditEntries => Set<Admin.AuditEntry>();
    public DbSet<SignIn> SignIns => Set<SignIn>();
    public DbSet<Mail.QueuedMail> QueuedMails => Set<Mail.QueuedMail>();
    public DbSet<Push.PushDevice> PushDevices => Set<Push.PushDevice>();
    public DbSet<Push.PushDelivery> PushDeliveries => Set<Push.PushDelivery>();
    public DbSet<Push.VapidKeyRow> VapidKeys => Set<Push.VapidKeyRow>();
    public DbSet<Files.ChatFile> Files => Set<Files.ChatFile>();
    public DbSet<Files.FileWork> FileWork => Set<Files.FileWork>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditRewrites();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditRewrites();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>The audit log is append-only.</summary>
    private void RefuseAuditRewrites()
    {
        if (ChangeTracker.Entries<Admin.AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries cannot be changed or deleted.");
        }
    }

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
            user.Property(u => u.UserNameSkeleton).HasMaxLength(ApplicationUser.UserNameSkeletonMaxLength);
            // Not unique: accounts that collided before skeletons were checked are kept, and listed for admins.
            user.HasIndex(u => u.UserNameSkeleton);
        });

        builder.Entity<SignIn>(signIn =>
        {
            signIn.Property(s => s.Id).HasMaxLength(SignIn.IdLength);
            signIn.HasIndex(s => s.UserId);
            signIn.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Mail.QueuedMail>(mail =>
        {
            mail.Property(m => m.Recipient).HasMaxLength(Mail.QueuedMail.RecipientMaxLength);
            mail.Property(m => m.ClaimedBy).HasMaxLength(Mail.QueuedMail.ClaimedByMaxLength);
            // Senders look for mail that is due.
            mail.HasIndex(m => m.DueAt);
        });

        Push.PushModel.Configure(builder);
        DuckChat.Web.Files.FilesModel.Configure(builder);

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

        builder.Entity<Admin.AuditEntry>(entry =>
        {
            entry.Property(e => e.ActorId).HasMaxLength(450);
            entry.Property(e => e.ActorName).HasMaxLength(256);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.TargetType).HasMaxLength(32);
            entry.Property(e => e.TargetId).HasMaxLength(450);
            entry.Property(e => e.TargetName).HasMaxLength(256);
            entry.Property(e => e.Reason).HasMaxLength(Admin.AuditEntry.ReasonMaxLength);
            // The log is read newest first.
            entry.HasIndex(e => e.At);
        });

        builder.Entity<Message>(message =>
        {
            // Every insert moves the chat's LastSeq and the sender's read position (Chats/Writing/WriteStatements.cs).
            // The search index follows SearchText through triggers of its own (Search/SearchIndex.cs).
            message.ToTable(table =>
            {
                table.HasTrigger(DuckChat.Web.Chats.Writing.MessageTrigger.Name);
                foreach (var trigger in Search.SearchIndex.Triggers(Database.ProviderName))
                {
                    table.HasTrigger(trigger);
                }
            });
            if (Database.IsSqlServer())
            {
                // Search rechecks candidates with LIKE, which then ignores case and accents as the index does.
                message.Property(m => m.SearchText).UseCollation(Search.SearchIndex.SqlServerCollation);
            }
            // History pages are keyset ranges on (ChatId, Seq).
            message.HasIndex(m => new { m.ChatId, m.Seq }).IsUnique();
            message.HasIndex(m => new { m.SenderId, m.ClientMessageId }).IsUnique();
            message.HasOne(m => m.Chat).WithMany().HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);
            message.HasOne(m => m.Sender).WithMany().HasForeignKey(m => m.SenderId).OnDelete(DeleteBehavior.SetNull);
            // Catch-up reads what changed after a ChangeSeq: a range on (ChatId, ChangeSeq).
            message.HasIndex(m => new { m.ChatId, m.ChangeSeq });
        });

        builder.Entity<MessageReaction>(reaction =>
        {
            reaction.HasKey(r => new { r.MessageId, r.Emoji, r.UserId });
            reaction.Property(r => r.Emoji).HasMaxLength(MessageReaction.EmojiMaxLength);
            reaction.Property(r => r.UserId).HasMaxLength(450);
            reaction.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MessageMention>(mention =>
        {
            mention.HasKey(m => new { m.MessageId, m.UserId });
            mention.Property(m => m.UserId).HasMaxLength(450);
            // My mentions: per chat above my read position (the @ badge), and newest first across chats (the Mentions page).
            mention.HasIndex(m => new { m.UserId, m.ChatId, m.Seq });
            mention.HasIndex(m => new { m.UserId, m.MessageId });
            mention.HasOne<Message>().WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteChatDbContext(DbContextOptions<SqliteChatDbContext> options) : ChatDbContext(options);

public sealed class SqlServerChatDbContext(DbContextOptions<SqlServerChatDbContext> options) : ChatDbContext(options);
