using System.Text.Json;
using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Configuration;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Chats;

/// <summary>
/// The composer's server side. In the browser its script takes the text out of the box on Enter or Send, keeps it
/// with a new client message id until the server confirms it, and calls <see cref="Composer.SendTypedTextAsync"/>;
/// here the tests make that call (and play the script's part: what it hands over as kept), and check what the
/// component asks the script to do (put text back, stop keeping a send) and shows.
/// </summary>
public sealed class ComposerTests : MudTestContext
{
    private readonly List<(string Body, Guid Draft)> _sent = [];
    private readonly List<PendingSend> _sends = [];
    private readonly BunitJSModuleInterop _script;
    private readonly ConnectionEvents _connection = new();
    private Func<string, Guid, Task<SendResult>> _answer;

    public ComposerTests()
    {
        _answer = (body, _) => Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        Services.AddSingleton(_connection);
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery("the-request-token"));
        Services.AddSingleton(Options.Create(new FilesOptions { MaxFileBytes = 5_000_000, MaxFilesPerMessage = 3, AllowedExtensions = [".PDF", ".png"] }));
        _script = JSInterop.SetupModule("./Chats/Composer.razor.js");
        _script.Setup<PendingSend[]?>("attach", _ => true).SetResult([]);
        _script.Setup<bool>("restore", _ => true).SetResult(true);
        _script.SetupVoid("forget", _ => true).SetVoidResult();
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
    public void Attach_NamesWhereThisPersonsSendsInThisChatAreKept()
    {
        RenderComposer();

        Assert.Equal("me.7", _script.VerifyInvoke("attach").Arguments[3]);
    }

    [Fact]
    public async Task TypedText_IsSentWithTheScriptsId_NothingIsPutBack_AndTheBrowserMayForgetIt()
    {
        var composer = RenderComposer();
        var id = Guid.NewGuid();

        var settled = await SendAsync(composer, "hello\nworld", id);

        Assert.Equal(("hello\nworld", id), Assert.Single(_sent));
        Assert.True(settled);
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
    public async Task Refusal_IsShown_TheTextComesBackWithItsId_AndTheBrowserForgetsIt()
    {
        _answer = (_, _) => Task.FromResult(new SendResult(SendOutcome.TooLong, Error: "This message is too long."));
        var composer = RenderComposer();
        var id = Guid.NewGuid();

        var settled = await SendAsync(composer, "way too long", id);

        Assert.Equal("This message is too long.", composer.Find("[role=alert]").TextContent.Trim());
        var restore = _script.VerifyInvoke("restore");
        Assert.Equal(["way too long", id], restore.Arguments.Skip(1));
        Assert.True(settled); // sending it again cannot help: the box has it now
    }

    [Fact]
    public async Task FailedSave_BringsTheTextBackWithItsId_AndTheBrowserKeepsIt()
    {
        _answer = (_, _) => Task.FromException<SendResult>(new InvalidOperationException("database is locked"));
        var composer = RenderComposer();
        var id = Guid.NewGuid();

        var settled = await SendAsync(composer, "important", id);

        Assert.Contains("not sent", composer.Find("[role=alert]").TextContent);
        Assert.Equal(["important", id], _script.VerifyInvoke("restore").Arguments.Skip(1));
        Assert.False(settled); // may still be saved: kept until a send with this id is confirmed
        Assert.Empty(composer.FindAll(".pending-send")); // it is in the box
    }

    [Fact]
    public async Task FailedSave_WhileSomethingNewIsInTheBox_ShowsTheTextAsNotSentYet()
    {
        _answer = (_, _) => Task.FromException<SendResult>(new InvalidOperationException("database is locked"));
        _script.Setup<bool>("restore", _ => true).SetResult(false);
        var composer = RenderComposer();

        await SendAsync(composer, "important");

        Assert.Equal(["important"], PendingTexts(composer));
        Assert.Contains("Not sent yet", composer.Find(".pending-send").TextContent);
        Assert.Single(composer.FindAll("button"), b => b.TextContent.Trim() == "Send again");
    }

    [Fact]
    public async Task KeptSends_ShowAsSending_ThenAreSentInOrderWithTheirIds_AndForgotten()
    {
        PendingSend first = new(Guid.NewGuid(), "typed before the outage"), second = new(Guid.NewGuid(), "and this <b>too</b>");
        _script.Setup<PendingSend[]?>("attach", _ => true).SetResult([first, second]);
        var release = new TaskCompletionSource();
        _answer = async (body, _) =>
        {
            await release.Task;
            return new SendResult(SendOutcome.Sent, Message(body));
        };

        var composer = RenderComposer();

        composer.WaitForAssertion(() => Assert.Equal([first.Text, second.Text], PendingTexts(composer)));
        Assert.Equal("Not sent yet", composer.Find("section").GetAttribute("aria-label"));
        Assert.All(composer.FindAll(".pending-state"), state => Assert.Equal("Sending…", state.TextContent));
        Assert.Empty(composer.FindAll(".pending-send b")); // text, never markup
        await composer.InvokeAsync(release.SetResult);
        composer.WaitForAssertion(() => Assert.Empty(composer.FindAll(".pending-send")));
        Assert.Equal([(first.Text, first.ClientMessageId), (second.Text, second.ClientMessageId)], _sent);
        Assert.Equal([first.ClientMessageId, second.ClientMessageId], _script.VerifyInvoke("forget", 2).Select(i => i.Arguments[1]));
    }

    [Fact]
    public async Task KeptSend_ThatFailsAgain_StaysNotSentYet_UntilSendAgain_WithItsFiles()
    {
        PendingSend kept = new(Guid.NewGuid(), "still here", ["f1", "f2"]);
        _script.Setup<PendingSend[]?>("attach", _ => true).SetResult([kept]);
        var fail = true;
        _answer = (body, _) => fail
            ? Task.FromException<SendResult>(new InvalidOperationException("database is locked"))
            : Task.FromResult(new SendResult(SendOutcome.Sent, Message(body)));
        var composer = RenderComposer();
        composer.WaitForAssertion(() => Assert.Contains("not sent", composer.Find("[role=alert]").TextContent));
        Assert.Equal("Not sent yet", composer.Find(".pending-state").TextContent);
        Assert.Equal("2 files", composer.Find(".pending-files").TextContent);
        _script.VerifyNotInvoke("forget");

        fail = false;
        await composer.Find(".pending-retry").ClickAsync(new());

        composer.WaitForAssertion(() => Assert.Empty(composer.FindAll(".pending-send")));
        Assert.Equal([kept.ClientMessageId, kept.ClientMessageId], _sent.Select(s => s.Draft));
        Assert.All(_sends, send => Assert.Equal(["f1", "f2"], send.FileIds));
        Assert.Equal(kept.ClientMessageId, _script.VerifyInvoke("forget").Arguments[1]);
        Assert.Empty(composer.FindAll("[role=alert]"));
    }

    [Fact]
    public void KeptSend_RefusedForGood_GoesBackInTheBox_AndIsForgotten()
    {
        PendingSend kept = new(Guid.NewGuid(), "to a chat I left");
        _script.Setup<PendingSend[]?>("attach", _ => true).SetResult([kept]);
        _answer = (_, _) => Task.FromResult(new SendResult(SendOutcome.NotFound, Error: "This chat does not exist, or you are not in it."));

        var composer = RenderComposer();

        composer.WaitForAssertion(() => Assert.Empty(composer.FindAll(".pending-send")));
        Assert.Equal(kept.ClientMessageId, _script.VerifyInvoke("forget").Arguments[1]);
        Assert.Equal(["to a chat I left", kept.ClientMessageId], _script.VerifyInvoke("restore").Arguments.Skip(1));
        Assert.Contains("not in it", composer.Find("[role=alert]").TextContent);
    }

    [Fact]
    public async Task AfterAReconnect_WhatTheBrowserStillKeeps_IsSentAgain()
    {
        PendingSend lost = new(Guid.NewGuid(), "sent into a dead socket");
        _script.Setup<PendingSend[]?>("pending", _ => true).SetResult([lost]);
        var composer = RenderComposer();

        await _connection.OnConnectionDownAsync(null!, Xunit.TestContext.Current.CancellationToken);
        await _connection.OnConnectionUpAsync(null!, Xunit.TestContext.Current.CancellationToken);

        composer.WaitForAssertion(() => Assert.Equal(("sent into a dead socket", lost.ClientMessageId), Assert.Single(_sent)));
        composer.WaitForAssertion(() => Assert.Equal(lost.ClientMessageId, _script.VerifyInvoke("forget").Arguments[1]));
    }

    [Fact]
    public void Attach_GivesTheScriptTheChatsUploadUrl_TheAntiforgeryToken_AndTheLimits()
    {
        var composer = RenderComposer();

        var settings = JsonSerializer.SerializeToElement(_script.VerifyInvoke("attach").Arguments[4]);
        Assert.Equal("/files?chat=7", settings.GetProperty("url").GetString());
        Assert.Equal("the-request-token", settings.GetProperty("token").GetString());
        Assert.Equal(5_000_000, settings.GetProperty("maxFileBytes").GetInt64());
        Assert.Equal(3, settings.GetProperty("maxFiles").GetInt32());
        Assert.Equal([".pdf", ".png"], settings.GetProperty("allowedExtensions").EnumerateArray().Select(e => e.GetString()));
        var attach = composer.Find("button.composer-attach");
        Assert.Equal("Attach files", attach.GetAttribute("aria-label"));
        Assert.True(composer.Find("input[type=file].composer-files").HasAttribute("multiple"));
        Assert.Empty(composer.Find(".attachments").Children); // the script's own
    }

    [Fact]
    public void FilesTurnedOff_NoAttachButton_AndTheScriptGetsNoUploadSettings()
    {
        Services.AddSingleton(Options.Create(new FilesOptions { Enabled = false }));

        var composer = RenderComposer();

        Assert.Empty(composer.FindAll(".composer-attach, input[type=file]"));
        Assert.Null(_script.VerifyInvoke("attach").Arguments[4]);
    }

    [Fact]
    public async Task Files_WithoutText_AreSent_WithTheirIds()
    {
        var composer = RenderComposer();

        var settled = await SendAsync(composer, "", fileIds: ["f1", "f2"]);

        Assert.True(settled);
        var send = Assert.Single(_sends);
        Assert.Equal("", send.Text);
        Assert.Equal(["f1", "f2"], send.FileIds);
    }

    [Fact]
    public async Task RefusedSendWithFiles_ComesBackToTheComposer_WithItsId()
    {
        _answer = (_, _) => Task.FromResult(new SendResult(SendOutcome.TooLong, Error: "This message is too long."));
        var composer = RenderComposer();
        var id = Guid.NewGuid();

        await SendAsync(composer, "long text", id, ["f1"]);

        // The script puts the text back and shows the send's files again (they stay until removed or sent).
        Assert.Equal(["long text", id], _script.VerifyInvoke("restore").Arguments.Skip(1));
    }

    private IRenderedComponent<Composer> RenderComposer(int maxLength = 4000) =>
        Render<Composer>(p => p
            .Add(c => c.MaxLength, maxLength)
            .Add(c => c.PendingKey, "me.7")
            .Add(c => c.ChatId, 7)
            .Add(c => c.OnSend, send =>
            {
                _sends.Add(send);
                _sent.Add((send.Text, send.ClientMessageId));
                return _answer(send.Text, send.ClientMessageId);
            }));

    private static Task<bool> SendAsync(IRenderedComponent<Composer> composer, string text, Guid? id = null, string[]? fileIds = null) =>
        composer.InvokeAsync(() => composer.Instance.SendTypedTextAsync(text, id ?? Guid.NewGuid(), fileIds ?? []));

    private static List<string> PendingTexts(IRenderedComponent<Composer> composer) =>
        composer.FindAll(".pending-text").Select(e => e.TextContent).ToList();

    private static MessageView Message(string body) => new(1, 1, 1, "me", "me", body, DateTime.UtcNow, null, false);

    private sealed class FixedAntiforgery(string token) : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new(token, "__RequestVerificationToken");
    }
}
