using System.Diagnostics.Metrics;
using DuckChat.Web.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Infrastructure;

/// <summary>DuckChat's instruments for a part built without a host (a bus on its own): on a meter factory no one listens to.</summary>
public static class UnhostedMetrics
{
    public static DuckChatMetrics Instance { get; } =
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
