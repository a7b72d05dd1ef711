using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>
/// Slows down floods from one address: log-in, registration and forgot-password attempts per address (fixed windows,
/// limits in DuckChat:Security), answered 429. The defaults sit far above what a team behind one office address does
/// in normal use. Guessing one account's password from many addresses is <see cref="LogInGuard"/>'s concern.
/// </summary>
public sealed class AccountThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _logInByAddress;
    private readonly PartitionedRateLimiter<string> _register;
    private readonly PartitionedRateLimiter<string> _forgotPassword;

    public AccountThrottle(IOptions<SecurityOptions> options)
    {
        var limits = options.Value;
        _logInByAddress = Window(limits.LogInPerMinutePerAddress, TimeSpan.FromMinutes(1));
        _register = Window(limits.RegisterPerHourPerAddress, TimeSpan.FromHours(1));
        _forgotPassword = Window(limits.ForgotPasswordPerHourPerAddress, TimeSpan.FromHours(1));
    }

    public bool AllowLogIn(HttpContext context) => Acquire(_logInByAddress, AddressKey(context));

    public bool AllowRegister(HttpContext context) => Acquire(_register, AddressKey(context));

    public bool AllowForgotPassword(HttpContext context) => Acquire(_forgotPassword, AddressKey(context));

    /// <summary>The page again, with status 429 and a message that says what to do.</summary>
    public static IActionResult TooManyAttempts(PageModel page)
    {
        page.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        page.ModelState.AddModelError(string.Empty, "Too many attempts. Wait a little, then try again.");
        return page.Page();
    }

    /// <summary>
    /// The client's address as a throttling key: an IPv4 address, or the /64 network of an IPv6 one, since one
    /// customer line is handed a whole /64 and could otherwise step through it.
    /// </summary>
    public static string AddressKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

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
        _register.Dispose();
        _forgotPassword.Dispose();
    }
}
