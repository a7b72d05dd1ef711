using DuckChat.Web.Accounts;
using DuckChat.Web.Data.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DuckChat.Web.Push;

/// <summary>
/// One browser's push subscription, on the account that turned it on there. It belongs to that browser's sign-in:
/// logging out (or out everywhere, or the account's deletion) deletes the sign-in and with it this row.
/// </summary>
public sealed class PushDevice
{
    /// <summary>Kept below SQL Server's limit for a unique index key; push services' endpoints are a few hundred characters.</summary>
    public const int EndpointMaxLength = 800;
    public const int LabelMaxLength = 64;

    public long Id { get; set; }

    /// <summary>The account; no key of its own (SQL Server allows one cascade path), it goes with the sign-in.</summary>
    public string UserId { get; set; } = "";

    public string SignInId { get; set; } = "";

    /// <summary>The push service's address for this browser: a secret capability, unique.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The browser's P-256 public key (65 bytes, base64url) that pushes are encrypted to.</summary>
    public string P256dh { get; set; } = "";

    /// <summary>The browser's authentication secret (16 bytes, base64url).</summary>
    public string Auth { get; set; } = "";

    /// <summary>What the person sees in the list ("Chrome on Android").</summary>
    public string Label { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public SignIn? SignIn { get; set; }
}

/// <summary>
/// One push to send: a message, for one device. Inserted by the instance that saved the message, claimed and sent by
/// whichever instance gets to it first (<see cref="QueueWorker{TWork}"/>); unique per device and message.
/// </summary>
public sealed class PushDelivery : IQueuedWork
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public long MessageId { get; set; }

    /// <summary>Checked again when sent: someone who left the chat in the meantime is not told of it.</summary>
    public int ChatId { get; set; }

    /// <summary>What the notification shows (<see cref="PushPayload"/>), as JSON; encrypted for the device when sent.</summary>
    public string Payload { get; set; } = "";

    public DateTime QueuedAt { get; set; }
    public DateTime DueAt { get; set; }
    public int Attempts { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }

    public PushDevice? Device { get; set; }
}

/// <summary>The VAPID key pair DuckChat generated on its first start; one row, shared by every instance.</summary>
public sealed class VapidKeyRow
{
    /// <summary>Always <see cref="TheOne"/>: the key makes a second row impossible, so instances starting together agree.</summary>
    public int Id { get; set; }
    public string PublicKey { get; set; } = "";
    public string PrivateKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public const int TheOne = 1;
}

public static class PushModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<PushDevice>(device =>
        {
            device.Property(d => d.UserId).HasMaxLength(450);
            device.Property(d => d.SignInId).HasMaxLength(SignIn.IdLength);
            device.Property(d => d.Endpoint).HasMaxLength(PushDevice.EndpointMaxLength);
            device.Property(d => d.P256dh).HasMaxLength(100);
            device.Property(d => d.Auth).HasMaxLength(50);
            device.Property(d => d.Label).HasMaxLength(PushDevice.LabelMaxLength);
            device.HasIndex(d => d.Endpoint).IsUnique();
            device.HasIndex(d => d.UserId);
            device.HasOne(d => d.SignIn).WithMany().HasForeignKey(d => d.SignInId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PushDelivery>(delivery =>
        {
            delivery.Property(d => d.Payload).HasMaxLength(PushPayload.MaxLength);
            delivery.Property(d => d.ClaimedBy).HasMaxLength(64);
            delivery.HasIndex(d => new { d.DeviceId, d.MessageId }).IsUnique();
            // Workers look for pushes that are due.
            delivery.HasIndex(d => d.DueAt);
            delivery.HasOne(d => d.Device).WithMany().HasForeignKey(d => d.DeviceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<VapidKeyRow>(keys =>
        {
            keys.ToTable("VapidKeys");
            keys.Property(k => k.Id).ValueGeneratedNever();
            keys.Property(k => k.PublicKey).HasMaxLength(100);
            keys.Property(k => k.PrivateKey).HasMaxLength(100);
        });
    }
}
