using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DuckChat.Web.Data;

// `dotnet ef` builds each provider's context from here without starting the app or reaching a server.

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteChatDbContext>
{
    public SqliteChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerChatDbContext>
{
    public SqlServerChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerChatDbContext>().UseSqlServer("Server=design-time;Database=DuckChat").Options);
}
