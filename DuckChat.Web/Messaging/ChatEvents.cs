using DuckChat.Web.Chats;

namespace DuckChat.Web.Messaging;

/// <summary>A message was saved. Published to its chat's topic (open chat pages) and to each member's topic (chat lists).</summary>
public sealed record MessagePosted(MessageView Message) : BusEvent;
