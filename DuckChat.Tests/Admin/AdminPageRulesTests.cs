using System.Reflection;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace DuckChat.Tests.Admin;

public sealed class AdminPageRulesTests
{
    [Fact]
    public void EveryRoutableAdminComponent_RequiresTheAdminRole()
    {
        var adminPages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .Select(t => (Type: t, Routes: t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template).ToList()))
            .Where(p => p.Routes.Any(r => r.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)) || p.Type.Namespace == "DuckChat.Web.Admin" && p.Routes.Count > 0)
            .ToList();

        Assert.True(adminPages.Count >= 5, $"found only {adminPages.Count} admin pages");
        foreach (var (type, _) in adminPages)
        {
            var authorize = type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
            Assert.True(authorize.Any(a => a.Roles?.Split(',').Select(r => r.Trim()).Contains(AdminBootstrap.AdminRole) == true),
                $"{type.FullName} is routable under /admin but does not require the {AdminBootstrap.AdminRole} role");
        }
    }
}
