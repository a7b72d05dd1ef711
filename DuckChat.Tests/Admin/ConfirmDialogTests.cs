using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Admin;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DuckChat.Tests.Admin;

public sealed class ConfirmDialogTests : MudTestContext
{
    [Fact]
    public async Task ReasonBox_HoldsAtMostWhatTheAuditLogKeeps_AndCountsTowardsIt()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ConfirmDialog>("Lock user", new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, "Lock bob?" },
            { d => d.ConfirmText, "Lock" },
            { d => d.AskReason, true },
        }));

        var box = provider.Find("textarea");
        Assert.Equal(AuditEntry.ReasonMaxLength.ToString(), box.GetAttribute("maxlength"));
        Assert.Contains($"0 / {AuditEntry.ReasonMaxLength}", provider.Markup);

        box.Input(new string('x', AuditEntry.ReasonMaxLength));
        Assert.False(ConfirmButton(provider).HasAttribute("disabled"));
        provider.Find("textarea").Input(new string('x', AuditEntry.ReasonMaxLength + 1)); // a browser that ignores maxlength
        Assert.True(ConfirmButton(provider).HasAttribute("disabled"));
    }

    private static AngleSharp.Dom.IElement ConfirmButton(IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Lock");
}
