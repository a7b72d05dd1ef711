namespace DuckChat.Bench.Circuits;

/// <summary>One JS interop call the server made on a tab and what the tab answered (the JSON blazor.web.js sends back).</summary>
public sealed record JsExchange(string Identifier, string? ArgsJson, string? AnswerJson);
