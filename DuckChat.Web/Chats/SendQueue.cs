using DuckChat.Web.Accounts;
using Microsoft.JSInterop;

namespace DuckChat.Web.Chats;

/// <summary>
/// What a composer sends (text, files or both), in the order it was typed. Besides what is typed now, it holds what the browser kept
/// because the server never confirmed it (the connection died, or the page reloaded itself meanwhile): that is shown
/// as not sent yet and sent again one at a time, oldest first, each with the client message id it was first sent
/// with, so each is saved once however often it is sent. Used by one component, on its renderer's thread.
/// </summary>
/// <param name="save">Saves a send: its text and files under its client message id (the chat service's send).</param>
/// <param name="restore">Puts a send that was not saved back in the composer, unless something new was typed there; says which.</param>
/// <param name="forget">Tells the browser to stop keeping a send: it was saved, or refused for a reason sending again cannot fix.</param>
/// <param name="changed">Renders the component.</param>
public sealed class SendQueue(
    Func<PendingSend, Task<SendResult>> save, Func<PendingSend, Task<bool>> restore, Func<Guid, Task> forget, Action changed)
{
    private readonly List<PendingSend> _kept = [];
    private TaskCompletionSource? _round;

    /// <summary>What is shown as not sent yet, oldest first.</summary>
    public IReadOnlyList<PendingSend> Kept => _kept;

    /// <summary>Whether the kept sends are being tried again now (they say "Sending…" rather than "Not sent yet").</summary>
    public bool Sending => _round is not null;

    /// <summary>Why the last send was not saved, until the next send or keystroke.</summary>
    public string? Error { get; set; }

    /// <summary>Sends a text just typed, after the kept sends being tried (they were typed first). True when the browser need not keep it.</summary>
    public async Task<bool> SendTypedAsync(PendingSend typed)
    {
        Error = null;
        if (_round is { } round)
        {
            await round.Task;
        }

        var result = await TrySaveAsync(typed);
        if (!result.Succeeded)
        {
            await PutBackAsync(typed, result);
        }

        return !result.MayRetry;
    }

    /// <summary>Shows what the browser kept (once each, however often it reports it) and tries it again.</summary>
    public Task AddKeptAsync(IEnumerable<PendingSend>? kept)
    {
        _kept.AddRange((kept ?? []).ExceptBy(_kept.Select(s => s.ClientMessageId), s => s.ClientMessageId).ToList());
        return SendKeptAsync();
    }

    /// <summary>Tries the kept sends, oldest first, until all are answered or one can only be retried later.</summary>
    public async Task SendKeptAsync()
    {
        if (_round is not null || _kept.Count == 0)
        {
            return;
        }

        var round = _round = new TaskCompletionSource();
        Error = null;
        changed();
        try
        {
            while (_kept.Count > 0)
            {
                var next = _kept[0];
                var result = await TrySaveAsync(next);
                if (result.MayRetry)
                {
                    Error = result.Error; // it stays shown, with the rest, for Send again (or the next reconnect or reload)
                    break;
                }

                _kept.RemoveAt(0);
                await forget(next.ClientMessageId);
                if (!result.Succeeded)
                {
                    await PutBackAsync(next, result);
                }

                changed();
            }
        }
        finally
        {
            _round = null;
            round.SetResult();
        }

        changed();
    }

    /// <summary>Puts a text that was not saved back in the box with why; one that may still be saved later and finds the box in use is shown as not sent yet.</summary>
    private async Task PutBackAsync(PendingSend send, SendResult result)
    {
        Error = result.Error;
        if (!await restore(send) && result.MayRetry && _kept.TrueForAll(s => s.ClientMessageId != send.ClientMessageId))
        {
            _kept.Add(send);
        }
    }

    /// <summary>Saves one send; a failure to save (or a sign-out) comes back as a result that may be retried.</summary>
    private async Task<SendResult> TrySaveAsync(PendingSend send)
    {
        try
        {
            return await save(send);
        }
        catch (SignedOutException e)
        {
            return new(SendOutcome.Failed, Error: e.Message);
        }
        catch (Exception e) when (e is not JSDisconnectedException)
        {
            // Saving failed (database busy or down): nothing was shown as sent.
            return new(SendOutcome.Failed, Error: "Your message was not sent: the server could not save it. Send it again in a moment.");
        }
    }
}
