using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;

namespace DuckChat.Tests.Chats;

/// <summary>
/// The composer's server side. In the browser its script takes the text out of the box on Enter or Send and
/// calls <see cref="Composer.SendTypedTextAsync"/>; here the tests make that call, and check what the component
/// asks the script to do (put text back) and shows.
/// </summary>
public sealed class ComposerTests : MudTestContext
{
    private readonly List<(string Body, Guid Draft)> _sent = [];
    private readonly BunitJSModuleInterop _script;
    private Func<string, Guid, Task<SendResult>> _answer;

    public ComposerTests()
    {
        _answer = (body, _) => Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        _script = JSInterop.SetupModule("./Chats/Composer.razor.js");
        _script.SetupVoid("attach", _ => true).SetVoidResult();
        _script.Setup<bool>("restore", _ => true).SetResult(true);
    }

    [Fact]
    public void TextBox_IsNamedMessage_WithTheLimitAsMaxLength_AndASendButton()
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
    public async Task TypedText_IsSent_AndNothingIsPutBack()
    {
        var composer = RenderComposer();

        await SendAsync(composer, "hello\nworld");

        Assert.Equal("hello\nworld", Assert.Single(_sent).Body);
        _script.VerifyNotInvoke("restore");
        Assert.Empty(composer.FindAll("[role=alert]"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public async Task WhitespaceOnly_IsNotSent(string text)
    {
        var composer = RenderComposer();

        await SendAsync(composer, text);

        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Refusal_IsShown_AndTheTextComesBack()
    {
        _answer = (_, _) => Task.FromResult(new SendResult(SendOutcome.TooLong, Error: "This message is too long."));
        var composer = RenderComposer();

        await SendAsync(composer, "way too long");

        Assert.Equal("This message is too long.", composer.Find("[role=alert]").TextContent.Trim());
        Assert.Equal("way too long", _script.VerifyInvoke("restore").Arguments[1]);
    }

    [Fact]
    public async Task FailedSave_BringsTheTextBack_AndRetryUsesTheSameDraftId_ThenANewOne()
    {
        var failNext = true;
        _answer = (body, _) => failNext
            ? Task.FromException<SendResult>(new InvalidOperationException("database is locked"))
            : Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        var composer = RenderComposer();

        await SendAsync(composer, "important");
        Assert.Contains("not sent", composer.Find("[role=alert]").TextContent);
        Assert.Equal("important", _script.VerifyInvoke("restore").Arguments[1]);

        failNext = false;
        await SendAsync(composer, "important");
        await SendAsync(composer, "next one");

        Assert.Equal(["important", "important", "next one"], _sent.Select(s => s.Body));
        Assert.Equal(_sent[0].Draft, _sent[1].Draft);
        Assert.NotEqual(_sent[1].Draft, _sent[2].Draft);
        Assert.Empty(composer.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task TwoQuickMessages_GetTwoDraftIds()
    {
        var composer = RenderComposer();

        await SendAsync(composer, "one");
        await SendAsync(composer, "two");

        Assert.NotEqual(_sent[0].Draft, _sent[1].Draft);
    }

    private IRenderedComponent<Composer> RenderComposer(int maxLength = 4000) =>
        Render<Composer>(p => p
            .Add(c => c.MaxLength, maxLength)
            .Add(c => c.OnSend, (body, draft) =>
            {
                _sent.Add((body, draft));
                return _answer(body, draft);
            }));

    private static Task SendAsync(IRenderedComponent<Composer> composer, string text) =>
        composer.InvokeAsync(() => composer.Instance.SendTypedTextAsync(text));

    private static MessageView Message(string body) => new(1, 1, 1, "me", "me", body, DateTime.UtcNow, null, false);
}
