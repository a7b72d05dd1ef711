using MudBlazor;

namespace DuckChat.Web.Admin;

/// <summary>Shows <see cref="ConfirmDialog"/> and hands back what the admin confirmed, or null if they cancelled.</summary>
public static class Confirmations
{
    public static async Task<ConfirmDialog.Confirmation?> ConfirmAsync(
        this IDialogService dialogs, string title, string message, string confirmText, bool askReason = false, bool askDuration = false)
    {
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.AskReason, askReason },
            { d => d.AskDuration, askDuration },
        });
        return await dialog.Result is { Canceled: false, Data: ConfirmDialog.Confirmation confirmation } ? confirmation : null;
    }
}
