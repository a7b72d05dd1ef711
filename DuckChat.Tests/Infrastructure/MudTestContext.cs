using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DuckChat.Tests.Infrastructure;

/// <summary>The base for bUnit tests: MudBlazor's services and loose JS interop (MudBlazor calls JS we don't assert on).</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        Services.AddMudServices();
        Services.AddSingleton<DuckChat.Web.Chats.Formatting.MessageFormatter>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }
}
