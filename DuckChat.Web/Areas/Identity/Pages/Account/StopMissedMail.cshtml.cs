using DuckChat.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DuckChat.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Where a missed-messages mail's unsubscribe link leads. Mail scanners open links, so opening it only asks; the button
/// (a POST) turns the mail off. The link is all it takes: no sign-in is needed, and none is made.
/// </summary>
[AllowAnonymous]
public sealed class StopMissedMailModel(MissedMailSetting setting, ILogger<StopMissedMailModel> logger) : PageModel
{
    public enum LinkState { Usable, TurnedOff, Refused }

    public LinkState State { get; private set; }

    public string? Token { get; private set; }

    public async Task OnGetAsync(string? token)
    {
        Token = token;
        State = await setting.IsUsableAsync(token) ? LinkState.Usable : LinkState.Refused;
    }

    public async Task OnPostAsync(string? token)
    {
        State = await setting.UnsubscribeAsync(token) ? LinkState.TurnedOff : LinkState.Refused;
        if (State == LinkState.TurnedOff)
        {
            logger.LogInformation("Missed-messages mail turned off by an unsubscribe link");
        }
    }
}
