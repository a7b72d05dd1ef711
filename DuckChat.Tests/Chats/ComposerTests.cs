using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;

namespace DuckChat.Tests.Chats;

public sealed class ComposerTests : MudTestContext
{
    private readonly List<(string Body, Guid Draft)> _sent = [];
    private Func<string, Guid, Task<SendResult>> _answer;

    private readonly BunitJSModuleInterop _script;

    public ComposerTests()
    {
        _answer = (body, _) => Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        _script = JSInterop.SetupModule("./Chats/Composer.razor.js");
        _script.SetupVoid("attach", _ => true).SetVoidResult();
        _script.SetupVoid("clear", _ => true).SetVoidResult();
    }

    [Fact]
    public void TextBox_IsNamedMessage_WithTheLimitAsMaxLength()
    {
        var composer = RenderComposer(maxLength: 4000);

        var box = composer.Find("textarea");
        Assert.Equal("Message", box.GetAttribute("aria-label"));
        Assert.Equal("4000", box.GetAttribute("maxlength"));
        Assert.Equal("auto", box.GetAttribute("dir"));
        Assert.NotNull(composer.FindAll("button").SingleOrDefault(b => b.TextContent.Trim() == "Send"));
    }

    [Fact]
    public void Counter_AppearsOnlyNearTheLimit()
    {
        var composer = RenderComposer(maxLength: 100);

        composer.Find("textarea").Input(new string('a', 50));
        Assert.Empty(composer.FindAll(".composer-counter"));
        composer.Find("textarea").Input(new string('a', 95));
        Assert.Equal("95 / 100", composer.Find(".composer-counter").TextContent.Trim());
    }

    [Fact]
    public void SendButton_SendsTheText_AndClearsTheBox()
    {
        var composer = RenderComposer();

        composer.Find("textarea").Input("hello\nworld");
        ClickSend(composer);

        Assert.Equal("hello\nworld", Assert.Single(_sent).Body);
        _script.VerifyInvoke("clear");
    }

    [Fact]
    public async Task EnterFromTheKeyboard_SendsTheBoxsText()
    {
        var composer = RenderComposer();

        await composer.InvokeAsync(() => composer.Instance.SendFromKeyboardAsync("typed fast"));

        Assert.Equal("typed fast", Assert.Single(_sent).Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void WhitespaceOnly_IsNotSent(string text)
    {
        var composer = RenderComposer();

        composer.Find("textarea").Input(text);
        ClickSend(composer);

        Assert.Empty(_sent);
    }

    [Fact]
    public void Refusal_IsShown_AndTheTextStays()
    {
        _answer = (_, _) => Task.FromResult(new SendResult(SendOutcome.TooLong, Error: "This message is too long."));
        var composer = RenderComposer();

        composer.Find("textarea").Input("way too long");
        ClickSend(composer);

        Assert.Equal("This message is too long.", composer.Find("[role=alert]").TextContent.Trim());
        _script.VerifyNotInvoke("clear");
    }

    [Fact]
    public void FailedSave_KeepsTheText_AndRetryUsesTheSameDraftId_ThenANewOne()
    {
        var failNext = true;
        _answer = (body, _) => failNext
            ? Task.FromException<SendResult>(new InvalidOperationException("database is locked"))
            : Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        var composer = RenderComposer();

        composer.Find("textarea").Input("important");
        ClickSend(composer);
        Assert.Contains("not sent", composer.Find("[role=alert]").TextContent);
        _script.VerifyNotInvoke("clear");

        failNext = false;
        ClickSend(composer);
        composer.Find("textarea").Input("next one");
        ClickSend(composer);

        Assert.Equal(3, _sent.Count);
        Assert.Equal(["important", "important", "next one"], _sent.Select(s => s.Body));
        Assert.Equal(_sent[0].Draft, _sent[1].Draft);
        Assert.NotEqual(_sent[1].Draft, _sent[2].Draft);
        Assert.Empty(composer.FindAll("[role=alert]"));
    }

    private IRenderedComponent<Composer> RenderComposer(int maxLength = 4000) =>
        Render<Composer>(p => p
            .Add(c => c.MaxLength, maxLength)
            .Add(c => c.OnSend, (body, draft) =>
            {
                _sent.Add((body, draft));
                return _answer(body, draft);
            }));

    private static void ClickSend(IRenderedComponent<Composer> composer) =>
        composer.FindAll("button").Single(b => b.TextContent.Trim() == "Send").Click();

    private static MessageView Message(string body) => new(1, 1, 1, "me", "me", body, DateTime.UtcNow, null, false);
}
