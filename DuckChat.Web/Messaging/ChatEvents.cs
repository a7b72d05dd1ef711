using DuckChat.Web.Chats;

namespace DuckChat.Web.Messaging;

/// <summary>A message (or system line) was saved. Published to its chat's topic (open chat pages) and to each member's topic (chat lists, badges).</summary>
public sealed record MessagePosted(MessageView Message) : BusEvent;

/// <summary>A message was edited or deleted: every page showing it replaces it. Same topics as <see cref="MessagePosted"/>.</summary>
public sealed record MessageChanged(MessageView Message) : BusEvent;

/// <summary>A chat's name or members changed: open pages reload its header, lists its entry. Chat topic and members' topics.</summary>
public sealed record ChatChanged(int ChatId) : BusEvent;

/// <summary>Someone left or was removed. Chat topic (their open pages close it) and the person's own topic (their list drops it).</summary>
public sealed record MemberRemoved(int ChatId, string UserId) : BusEvent;

/// <summary>A user's read position in a chat moved (read, or marked unread). The user's topic: all their tabs follow.</summary>
public sealed record ReadPositionChanged(string UserId, int ChatId, long LastReadSeq) : BusEvent;

/// <summary>An admin deleted the chat: open pages close it, lists drop it. Chat topic and members' topics.</summary>
public sealed record ChatDeleted(int ChatId) : BusEvent;
