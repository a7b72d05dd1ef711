using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Web.Admin;

/// <summary>Reading the audit log (writing happens through <see cref="AdminGuard"/>; nothing changes or deletes an entry).</summary>
public sealed class AuditLog(AdminGuard guard, IDbContextFactory<ChatDbContext> factory)
{
    public async Task<PageOf<AuditEntry>> QueryAsync(string? search, int page, int pageSize)
    {
        await guard.RequireAdminAsync();
        await using var db = await factory.CreateDbContextAsync();
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(e => e.ActorName.Contains(term) || e.Action.Contains(term) || (e.TargetName != null && e.TargetName.Contains(term))
                || (e.Reason != null && e.Reason.Contains(term)) || e.TargetId == term);
        }

        var total = await query.CountAsync();
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync();
        return new(items, total);
    }
}
