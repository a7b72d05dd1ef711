using DuckChat.Web.Chats;

namespace DuckChat.Web.Messaging;

/// <summary>
/// A message (or system line) was saved. Published to its chat's topic (open chat pages) and to each member's topic
/// (chat lists, badges, notifications); on the topic of a member it mentions, <see cref="MentionsYou"/> says so.
/// </summary>
public sealed record MessagePosted(MessageView Message, bool MentionsYou = false) : BusEvent;

/// <summary>
/// A message was edited, deleted or reacted to: every page showing it replaces it. Same topics as
/// <see cref="MessagePosted"/>, and likewise <see cref="MentionsYou"/> on the topic of each member it mentions now.
/// </summary>
public sealed record MessageChanged(MessageView Message, bool MentionsYou = false) : BusEvent;

/// <summary>A chat's name or members changed: open pages reload its header, lists its entry. Chat topic and members' topics.</summary>
public sealed record ChatChanged(int ChatId) : BusEvent;

/// <summary>Someone left or was removed. Chat topic (their open pages close it) and the person's own topic (their list drops it).</summary>
public sealed record MemberRemoved(int ChatId, string UserId) : BusEvent;

/// <summary>A user's read position in a chat moved (read, or marked unread). The user's topic: all their tabs follow.</summary>
public sealed record ReadPositionChanged(string UserId, int ChatId, long LastReadSeq) : BusEvent;

/// <summary>An admin deleted the chat: open pages close it, lists drop it. Chat topic and members' topics.</summary>
public sealed record ChatDeleted(int ChatId) : BusEvent;

/// <summary>A member changed how a chat notifies them (muted it, or not). Their own topic: every tab of theirs follows.</summary>
public sealed record ChatMuted(string UserId, int ChatId, Data.MuteLevel Mute) : BusEvent;
