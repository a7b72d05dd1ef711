namespace DuckChat.Web;

/// <summary>A configuration or environment problem that must stop the app, with a message that says what to fix.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
