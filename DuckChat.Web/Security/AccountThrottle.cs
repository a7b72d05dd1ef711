using System.Threading.RateLimiting;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>
/// Slows down password guessing and account farming: log-in per address and per account name, registration
/// and forgot-password per address (fixed windows, limits in DuckChat:Security). The defaults sit far above what a
/// team behind one office address does in normal use.
/// </summary>
public sealed class AccountThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _logInByAddress;
    private readonly PartitionedRateLimiter<string> _logInByAccount;
    private readonly PartitionedRateLimiter<string> _register;
    private readonly PartitionedRateLimiter<string> _forgotPassword;

    public AccountThrottle(IOptions<SecurityOptions> options)
    {
        var limits = options.Value;
        _logInByAddress = Window(limits.LogInPerMinutePerAddress, TimeSpan.FromMinutes(1));
        _logInByAccount = Window(limits.LogInPerMinutePerAccount, TimeSpan.FromMinutes(1));
        _register = Window(limits.RegisterPerHourPerAddress, TimeSpan.FromHours(1));
        _forgotPassword = Window(limits.ForgotPasswordPerHourPerAddress, TimeSpan.FromHours(1));
    }

    public bool AllowLogIn(HttpContext context, string accountName) =>
        Acquire(_logInByAddress, Address(context)) && Acquire(_logInByAccount, accountName.Trim().ToUpperInvariant());

    public bool AllowRegister(HttpContext context) => Acquire(_register, Address(context));

    public bool AllowForgotPassword(HttpContext context) => Acquire(_forgotPassword, Address(context));

    /// <summary>The page again, with status 429 and a message that says what to do.</summary>
    public static IActionResult TooManyAttempts(PageModel page)
    {
        page.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        page.ModelState.AddModelError(string.Empty, "Too many attempts. Wait a little, then try again.");
        return page.Page();
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Window(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));

    public void Dispose()
    {
        _logInByAddress.Dispose();
        _logInByAccount.Dispose();
        _register.Dispose();
        _forgotPassword.Dispose();
    }
}
