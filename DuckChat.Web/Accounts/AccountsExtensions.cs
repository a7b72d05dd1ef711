using System.Security.Claims;
using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Accounts;

public static class AccountsExtensions
{
    public static WebApplicationBuilder AddDuckChatAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDuckChatOptions<AccountOptions>("Accounts");
        services.AddDuckChatOptions<AdminOptions>("Admin");
        services.AddDuckChatOptions<DemoOptions>("Demo");
        services.AddDuckChatOptions<SiteOptions>("");

        services.AddDefaultIdentity<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ChatDbContext>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accountOptions) =>
        {
            var accounts = accountOptions.Value;
            identity.SignIn.RequireConfirmedAccount = false;
            // An email is a private contact address, not an identity: unique emails would make registration say
            // which addresses have accounts (AccountLookup).
            identity.User.RequireUniqueEmail = false;
            // UserNameRules checks the handle; Identity's own character list cannot say "letters".
            identity.User.AllowedUserNameCharacters = "";
            identity.Password.RequiredLength = accounts.PasswordMinLength;
            identity.Password.RequireDigit = accounts.PasswordRequireDigit;
            identity.Password.RequireLowercase = accounts.PasswordRequireLowercase;
            identity.Password.RequireUppercase = accounts.PasswordRequireUppercase;
            identity.Password.RequireNonAlphanumeric = accounts.PasswordRequireNonAlphanumeric;
            // Failed log-ins never lock an account (anyone could lock anyone): Security.LogInGuard slows guessing
            // instead, and a lock (LockoutEnd) is only ever an admin's. Should any Identity path count failures, it
            // never reaches this.
            identity.Lockout.MaxFailedAccessAttempts = int.MaxValue;
            identity.Lockout.AllowedForNewUsers = true;
        });
        // Reset (and the packaged pages' confirmation) tokens expire; a successful reset also voids them, by changing the security stamp.
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountOptions>>((tokens, accountOptions) =>
            tokens.TokenLifespan = accountOptions.Value.PasswordResetLinkLifetime);
        // Every request re-checks the cookie's sign-in and security stamp, so a locked, deleted or logged-out account
        // that a circuit sent back to log in cannot walk straight in again with its old cookie. The refreshed
        // principal keeps the cookie's sign-in.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.Zero;
            o.OnRefreshingPrincipal = refreshing =>
            {
                if (refreshing.CurrentPrincipal?.FindFirst(SignIns.ClaimType) is { } signIn && refreshing.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    identity.AddClaim(new Claim(SignIns.ClaimType, signIn.Value));
                }

                return Task.CompletedTask;
            };
        });
        services.Replace(ServiceDescriptor.Singleton<ISecurityStampValidator, SignInCookieValidator>());
        services.AddScoped<IUserValidator<ApplicationUser>, UserNameRules>();
        services.AddScoped<ILookupNormalizer, UserNameNormalizer>();
        services.AddScoped<AdminBootstrap>();
        services.AddScoped<UserNameSkeletonBackfill>();
        services.AddScoped<LastAdminRule>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<AccountService>();
        services.AddScoped<PasswordResetLinks>();
        services.AddScoped<SignIns>();
        services.AddScoped<AccountLookup>();

        services.AddRazorPages(pages => pages.Conventions.Add(new IdentityPagesInUse()));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<LastSeenRecorder>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<LastSeenRecorder>());

        // One application name wherever the app is installed (the default derives it from the install path), and
        // keys in the data folder (a volume in the container) so restarts keep everyone signed in; with several
        // instances the key ring lives in Redis, so a cookie from one instance works on all of them.
        services.AddDataProtection().SetApplicationName("DuckChat");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseLocation, RedisConnection, ILoggerFactory>((keys, location, redis, loggers) =>
            keys.XmlRepository ??= redis.Options.IsConfigured
                ? new RedisXmlRepository(() => redis.Multiplexer.GetDatabase(), redis.KeyRingKey)
                : new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(location.DataDirectory, "keys")), loggers));
        return builder;
    }
}
