using DuckChat.Web.Accounts;
using DuckChat.Web.Data;

namespace DuckChat.Web.Notifications;

/// <summary>
/// Whether a new message notifies a member (a desktop notification, a push, an email of what they missed): the one
/// rule every way of telling follows. Never their own message; a chat muted with <see cref="MuteLevel.Everything"/>
/// never; one muted <see cref="MuteLevel.ExceptMentions"/> only for a mention; otherwise as their level says.
/// </summary>
public static class NotificationPolicy
{
    public static bool Notifies(NotifyLevel level, MuteLevel mute, ChatKind kind, bool mentionsThem) =>
        level != NotifyLevel.Nothing && mute switch
        {
            MuteLevel.Everything => false,
            MuteLevel.ExceptMentions => mentionsThem,
            _ => mentionsThem || kind == ChatKind.Direct || level == NotifyLevel.All,
        };

    /// <summary>The tag a message's notification carries on every way it is shown, so a browser shows it once.</summary>
    public static string TagOf(long messageId) => $"message-{messageId}";
}
