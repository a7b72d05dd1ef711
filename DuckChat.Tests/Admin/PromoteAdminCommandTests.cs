using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Admin;

public sealed class PromoteAdminCommandTests
{
    [Fact]
    public async Task PromoteAdmin_MakesAnExistingUserAnAdmin_AndRefusesAnUnknownOne()
    {
        var dataDirectory = TestPaths.NewTempDirectory("promote");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["DuckChat__Database__DataDirectory"] = dataDirectory,
                ["DuckChat__Demo__Seed"] = "true",
            };

            await using (var promote = AppProcess.Start(TestPaths.WebBuildOutput, environment, "--promote-admin", "alice"))
            {
                Assert.Equal(0, await promote.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains("alice is an admin.", promote.Output);
            }

            await using (var unknown = AppProcess.Start(TestPaths.WebBuildOutput, environment, "--promote-admin", "nobody"))
            {
                Assert.Equal(1, await unknown.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains("No account named 'nobody'", unknown.Output);
            }

            var options = new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite($"Data Source={Path.Combine(dataDirectory, "duckchat.db")}").Options;
            await using var db = new SqliteChatDbContext(options);
            var admins = await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                join u in db.Users on ur.UserId equals u.Id
                                where r.Name == "Admin"
                                select u.UserName).ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal(["alice"], admins);
            Assert.Contains(await db.AuditEntries.ToListAsync(TestContext.Current.CancellationToken),
                e => e.Action == "Make admin" && e.TargetName == "alice" && e.ActorName == "command line");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }
}
