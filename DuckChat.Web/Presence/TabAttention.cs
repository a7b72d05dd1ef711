namespace DuckChat.Web.Presence;

/// <summary>
/// Whether this circuit's tab is looked at, as its layout's script reports it (<see cref="Components.Layout.AttentionReporter"/>):
/// one report per change for the whole tab, which presence and every open page follow, instead of a script of each
/// page's own. Changed on the circuit's dispatcher.
/// </summary>
public sealed class TabAttention(TabPresence presence)
{
    /// <summary>Whether the tab has said yet: until it has, an open chat reads nothing.</summary>
    public bool Known { get; private set; }

    /// <summary>The tab is visible (a hidden chat page renders nothing new).</summary>
    public bool Visible { get; private set; } = true;

    /// <summary>The tab is visible and focused: an open chat reads what it shows only then.</summary>
    public bool Attentive { get; private set; }

    /// <summary>Raised after each report, on the circuit's dispatcher.</summary>
    public event Func<Task>? Changed;

    public async Task ReportAsync(AttentionState state)
    {
        (Known, Visible, Attentive) = (true, state.Visible, state.Attentive);
        presence.AttentionChanged(state.LookedAt);
        foreach (var handler in Changed?.GetInvocationList().Cast<Func<Task>>() ?? [])
        {
            await handler();
        }
    }
}

/// <summary>What the tab's script reports: visible; visible and focused; and that with input lately (looked at, for presence).</summary>
public sealed record AttentionState(bool Visible, bool Attentive, bool LookedAt);
