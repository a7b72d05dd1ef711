using System.ComponentModel.DataAnnotations;

namespace DuckChat.Web.Configuration;

public sealed class LoggingOptions
{
    public const string Json = "json";

    /// <summary>
    /// <c>text</c>: the console's usual lines, for people. <c>json</c>: one JSON object a line, with the trace and
    /// span ids and the scopes, for log shippers.
    /// </summary>
    [RegularExpression("^(?i:text|json)$", ErrorMessage = "must be text or json.")]
    public string Format { get; set; } = "text";

    public bool IsJson => string.Equals(Format, Json, StringComparison.OrdinalIgnoreCase);
}
