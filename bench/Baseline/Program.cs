using DuckChat.Bench.Baseline;
using DuckChat.Bench.Baseline.Floor;
using DuckChat.Web.Data;
using Microsoft.EntityFrameworkCore;

// Same host defaults as DuckChat (Kestrel untuned, server GC from the Web SDK); the harness sets the URL and the
// database file. No authentication: the page names its user, which is acceptable only for a benchmark floor.
var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration["Baseline:ConnectionString"]
    ?? throw new InvalidOperationException("Set Baseline:ConnectionString (Baseline__ConnectionString) to the SQLite database.");
builder.Services.AddDbContextFactory<SqliteChatDbContext>(options => options.UseSqlite(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSignalR();
// Blazor's floor (M4): one empty interactive page, its sockets set up as DuckChat's are.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

// The floor keeps the write path DuckChat had when it was first measured (three statements in the hub's
// transaction): the seeded file has DuckChat's newer schema, whose trigger would add to them.
await using (var db = await app.Services.GetRequiredService<IDbContextFactory<SqliteChatDbContext>>().CreateDbContextAsync())
{
    await db.Database.ExecuteSqlRawAsync($"DROP TRIGGER IF EXISTS \"{DuckChat.Web.Chats.Writing.MessageTrigger.Name}\";");
}

app.MapStaticAssets();
app.UseAntiforgery();
app.MapHub<ChatHub>("/hub");
app.MapRazorComponents<FloorApp>().AddInteractiveServerRenderMode(server => server.ConfigureWebSocketAcceptContext = (_, accept) =>
{
    accept.DangerousEnableCompression = true;
    accept.DisableServerContextTakeover = true;
    return Task.CompletedTask;
});
app.MapGet("/health/live", () => "ok");
app.Run();
