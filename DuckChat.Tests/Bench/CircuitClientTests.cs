using System.Text;
using System.Text.Json.Nodes;
using DuckChat.Bench.Circuits;

namespace DuckChat.Tests.Bench;

/// <summary>The circuit client's pieces that need no server: markers in batches, the prerendered page, the interop answers.</summary>
public sealed class CircuitClientTests
{
    [Fact]
    public void RenderBatchBytes_YieldEachTerminatedMarkerInOrder()
    {
        // Arrange: string-table entries between other bytes, one marker without its ';', one prefix without digits.
        var batch = new byte[] { 0x92, 0x01 }.Concat(Encoding.UTF8.GetBytes("live-12; quack\0live-13 no\0live-; x\0warm-7;\0live-14;")).ToArray();

        // Act
        var keys = MessageKeys.Find(batch);

        // Assert
        Assert.Equal(["live-12;", "live-14;", "warm-7;"], keys);
    }

    [Fact]
    public void PrerenderedPage_AddsItsServerMarkersInSequenceOrder_WithTheirState()
    {
        // Arrange: two start markers out of sequence order, their end markers, a WebAssembly one, and the state comment.
        const string html = """
            <head><!--Blazor:{"type":"server","prerenderId":"b","key":{"locationHash":"h2","formattedComponentKey":""},"sequence":1,"descriptor":"D2"}--><title>x</title><!--Blazor:{"prerenderId":"b"}--></head>
            <body><!--Blazor:{"type":"server","prerenderId":"a","key":{"locationHash":"h1","formattedComponentKey":""},"sequence":0,"descriptor":"D1"}--><p>hi</p><!--Blazor:{"prerenderId":"a"}-->
            <!--Blazor:{"type":"webassembly","prerenderId":"w","sequence":2}--><!--Blazor-Server-Component-State:c3RhdGU=--></body>
            """;

        // Act
        var page = PrerenderedPage.Parse(new Uri("http://127.0.0.1:5000/chats/1"), html);
        var batch = JsonNode.Parse(page.AddRootComponentsJson(1))!;

        // Assert
        Assert.Equal("c3RhdGU=", page.ApplicationState);
        Assert.Equal(1, (int)batch["batchId"]!);
        var operations = batch["operations"]!.AsArray();
        Assert.Equal(2, operations.Count);
        Assert.Equal(["D1", "D2"], operations.Select(o => (string)o!["marker"]!["descriptor"]!));
        Assert.Equal([1, 2], operations.Select(o => (int)o!["ssrComponentId"]!));
        Assert.All(operations, o => Assert.Equal("add", (string)o!["type"]!));
        Assert.Equal([0, 1], operations.Select(o => (int)o!["marker"]!["uniqueId"]!));
    }

    [Fact]
    public void BrowserAnswers_ImportsObjectsAndAnswersCallsOnThem_LikeChromium()
    {
        // Arrange
        var answers = new BrowserAnswers(new BrowserProfile("Europe/Berlin", 1280, 720, Attentive: true));

        // Act
        var list = answers.Answer("import", """["./Chats/MessageList.razor.js"]""", 1, 0);
        var composer = answers.Answer("import", """["./Chats/Composer.razor.js"]""", 1, 0);
        var restored = answers.Answer("restore", "[{}, \"text\", \"5f0c4c1e-3f47-4c52-9d2b-2a4f1b1e9d10\"]", 0, 2);
        var kept = answers.Answer("attach", "[{}, {}, {}, \"me.1\"]", 0, 2);
        var zone = answers.Answer("duckChat.timeZone", "[]", 0, 0);
        var wide = answers.Answer("mudResizeListener.matchMedia", """["(min-width: 960px) and (max-width: 1279px)"]""", 0, 0);
        var unknown = answers.Answer("someLibrary.measure", "[]", 0, 0);

        // Assert
        Assert.Equal("""{"__jsObjectId":1}""", list.ResultJson);
        Assert.Equal("""{"__jsObjectId":2}""", composer.ResultJson);
        Assert.Equal("./Chats/Composer.razor.js", answers.ModuleOf(2));
        Assert.Equal("true", restored.ResultJson);
        Assert.Equal("[]", kept.ResultJson); // a fresh tab keeps no unconfirmed sends
        Assert.Equal("\"Europe/Berlin\"", zone.ResultJson);
        Assert.Equal("false", wide.ResultJson);
        Assert.Equal("null", unknown.ResultJson);
        Assert.Equal(["someLibrary.measure"], answers.Unknown);
    }
}
