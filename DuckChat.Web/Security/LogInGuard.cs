using DuckChat.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Security;

/// <summary>What the log-in page does with an attempt before it looks at the password.</summary>
public readonly record struct LogInAdmission(bool CheckPassword, TimeSpan Delay);

/// <summary>
/// Slows password guessing without giving anyone a way to lock another person out. Nothing here touches the
/// account: a person's open tabs never notice, and only an admin's lock is a revocation.
/// <list type="bullet">
/// <item>Per account name and client address: after DuckChat:Accounts:LockoutMaxFailedAttempts failures within
/// LockoutDuration, that address's attempts for that name are answered as wrong passwords without being checked,
/// until the window ends. An attacker's addresses therefore never block the owner's own address.</item>
/// <item>Per account name, from every address together: after LogInSlowdownAfterFailures failures within the same
/// window, every attempt for the name waits LogInSlowdownDelay before it is checked. It delays, never refuses.</item>
/// </list>
/// Names are counted whether or not an account has them, so an unknown name and a real one answer alike. Counts live
/// in this instance's memory, like the other throttles.
/// </summary>
public sealed class LogInGuard(IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>Past this many tracked keys, expired ones are swept before another is added.</summary>
    private const int SweepThreshold = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Address), Window> _byAddress = [];
    private readonly Dictionary<string, Window> _byAccount = [];

    private AccountOptions Limits => options.Value;

    public LogInAdmission Admit(string account, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var blocked = Current(_byAddress, (account, address), now) >= Limits.LockoutMaxFailedAttempts;
            var slowed = Current(_byAccount, account, now) >= Limits.LogInSlowdownAfterFailures;
            return new LogInAdmission(!blocked, slowed ? Limits.LogInSlowdownDelay : TimeSpan.Zero);
        }
    }

    public void Failed(string account, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Count(_byAddress, (account, address), now);
            Count(_byAccount, account, now);
        }
    }

    /// <summary>A right password clears that address's count (the name's total stays: it measures an attack).</summary>
    public void Succeeded(string account, string address)
    {
        lock (_gate)
        {
            _byAddress.Remove((account, address));
        }
    }

    private int Current<TKey>(Dictionary<TKey, Window> windows, TKey key, DateTimeOffset now) where TKey : notnull =>
        windows.TryGetValue(key, out var window) && window.Ends > now ? window.Failures : 0;

    private void Count<TKey>(Dictionary<TKey, Window> windows, TKey key, DateTimeOffset now) where TKey : notnull
    {
        if (windows.TryGetValue(key, out var window) && window.Ends > now)
        {
            windows[key] = window with { Failures = window.Failures + 1 };
            return;
        }

        if (windows.Count >= SweepThreshold)
        {
            foreach (var expired in windows.Where(w => w.Value.Ends <= now).Select(w => w.Key).ToList())
            {
                windows.Remove(expired);
            }
        }

        windows[key] = new Window(1, now + Limits.LockoutDuration);
    }

    /// <summary>Failures counted since the window opened at the first of them.</summary>
    private readonly record struct Window(int Failures, DateTimeOffset Ends);
}
