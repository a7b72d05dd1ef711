using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DuckChat.Web.Configuration;

/// <summary>
/// Validates an options class with its data annotations and names each bad value by its full setting path
/// (e.g. <c>DuckChat:Chat:MaxMessageLength</c>), so a start-up failure says exactly what to fix.
/// </summary>
public sealed class SettingsValidator<TOptions>(string sectionPath) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (options is IValidatableObject validatable)
        {
            // TryValidateObject runs Validate itself, but only when every property passed: run it for the other
            // case too, without repeating what it already said.
            var objectResults = validatable.Validate(new ValidationContext(options))
                .Where(r => !results.Any(seen => seen.ErrorMessage == r.ErrorMessage && seen.MemberNames.SequenceEqual(r.MemberNames)))
                .ToList();
            results.AddRange(objectResults);
        }

        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r =>
                $"{string.Join(", ", r.MemberNames.Select(m => $"{sectionPath}:{m}"))}: {r.ErrorMessage}"));
    }
}

public static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <c>DuckChat:{section}</c> (<c>DuckChat</c> itself for "") and validates it at start-up.</summary>
    public static IServiceCollection AddDuckChatOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        var path = section.Length == 0 ? DuckChatConfiguration.Section : $"{DuckChatConfiguration.Section}:{section}";
        services.AddOptions<TOptions>().BindConfiguration(path).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(path));
        return services;
    }
}
