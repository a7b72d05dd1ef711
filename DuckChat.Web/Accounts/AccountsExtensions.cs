using DuckChat.Web.Configuration;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
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
        services.AddDuckChatOptions<SmtpOptions>("Smtp");

        services.AddDefaultIdentity<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ChatDbContext>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accountOptions) =>
        {
            var accounts = accountOptions.Value;
            identity.SignIn.RequireConfirmedAccount = false;
            identity.User.RequireUniqueEmail = true;
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
        // Every request re-checks the cookie's security stamp, so a locked or deleted account that a circuit
        // sent back to log in cannot walk straight in again with its old cookie.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        // The same check, but what it loads goes when it ends, not when the request does (a circuit's lasts for hours).
        services.Replace(ServiceDescriptor.Singleton<ISecurityStampValidator, OwnScopeSecurityStampValidator>());
        services.AddScoped<IUserValidator<ApplicationUser>, UserNameRules>();
        services.AddScoped<ILookupNormalizer, UserNameNormalizer>();
        services.AddScoped<AdminBootstrap>();
        services.AddScoped<AccountDeletionRules>();
        services.AddScoped<AccountService>();
        services.AddScoped<PasswordResetLinks>();
        // Replaces Identity.UI's no-op sender; it sends nothing either while DuckChat:Smtp:Host is empty.
        services.Replace(ServiceDescriptor.Transient<IEmailSender, SmtpEmailSender>());

        services.AddRazorPages();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, LastSeenRecorder>();

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
