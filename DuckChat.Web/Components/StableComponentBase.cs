using Microsoft.AspNetCore.Components;

namespace DuckChat.Web.Components;

/// <summary>
/// A component that renders for its parent only when what it shows has changed. Blazor renders a child again
/// whenever its parent renders and any parameter is not a primitive (a callback, a record), so a chat page taking
/// a new message would otherwise render every row, its header and its composer again, and send them all to the
/// browser. The component's own events (typing, editing) render it as usual.
/// </summary>
/// <typeparam name="TKey">What decides what it shows; a value tuple of it keeps the comparison free of allocations
/// (it runs for every row of a list each time the list renders).</typeparam>
public abstract class StableComponentBase<TKey> : ComponentBase where TKey : IEquatable<TKey>
{
    private bool _hasParameters;
    private TKey? _keyAtLastParameters;
    private bool _parentRenderedSameData;

    /// <summary>
    /// What decides what it shows: its parameters, or what it reads from its parent (not its callbacks: those always
    /// reach the same page). Compared with the key the parent's previous render gave, so a key read from the parent
    /// sees the parent's change however early the parent made it.
    /// </summary>
    protected abstract TKey RenderKey { get; }

    public override Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        var key = RenderKey;
        _parentRenderedSameData = _hasParameters && key.Equals(_keyAtLastParameters!);
        _keyAtLastParameters = key;
        _hasParameters = true;
        return base.SetParametersAsync(ParameterView.Empty);
    }

    protected override bool ShouldRender()
    {
        var render = !_parentRenderedSameData;
        _parentRenderedSameData = false;
        return render;
    }
}
