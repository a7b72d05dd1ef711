namespace DuckChat.Web.Notifications;

/// <summary>What a system notification shows (sender and chat, a plain-text excerpt), its tag, and the page a click opens.</summary>
public sealed record DesktopNotification(string Title, string Body, string Tag, string Url);
