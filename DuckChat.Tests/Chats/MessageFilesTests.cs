using Bunit;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Chats;
using DuckChat.Web.Files;

namespace DuckChat.Tests.Chats;

/// <summary>A message's files as its row shows them: images as thumbnails that keep their proportions, other files as cards.</summary>
public sealed class MessageFilesTests : MudTestContext
{
    private static readonly FileView Photo = new("AbCdEfGhIjKlMnOpQrStUv", "holiday photo.jpg", 2_400_000, "image/jpeg", Inline: true, 4000, 3000, ThumbnailReady: true);
    private static readonly FileView Report = new("ReportReportReportRepo", "report.pdf", 1_258_291, "application/pdf", Inline: false, null, null, ThumbnailReady: false);

    [Fact]
    public void Image_ShowsItsThumbnail_ScaledDownWithItsProportions_InAButtonThatOpensTheFullImage()
    {
        var row = RenderRow(Message("look", Photo));

        var button = row.QuerySelector("button.file-image")!;
        Assert.Equal("/files/AbCdEfGhIjKlMnOpQrStUv/holiday%20photo.jpg", button.GetAttribute("data-full"));
        var image = button.QuerySelector("img")!;
        Assert.Equal("/files/AbCdEfGhIjKlMnOpQrStUv/thumbnail", image.GetAttribute("src"));
        Assert.Equal(("360", "270"), (image.GetAttribute("width"), image.GetAttribute("height")));
        Assert.Equal("lazy", image.GetAttribute("loading"));
        Assert.Equal("holiday photo.jpg", image.GetAttribute("alt"));
        Assert.Equal("look", row.QuerySelector(".message-body")!.TextContent);
    }

    [Fact]
    public void Image_WithoutItsThumbnailYet_HoldsItsPlace_AndShowsTheThumbnailOnceTheMessageChanges()
    {
        var message = Message("", Photo with { Width = 1000, Height = 4000, ThumbnailReady = false });
        var list = RenderList(message);

        var pending = list.Find(".file-image .file-image-pending");
        Assert.Equal("img", pending.GetAttribute("role"));
        Assert.Equal("holiday photo.jpg", pending.GetAttribute("aria-label"));
        Assert.Equal("width:68px;aspect-ratio:68/270", pending.GetAttribute("style"));
        Assert.Empty(list.FindAll(".file-image img"));

        // The server tells the page when the thumbnail is ready: a newer version of the message.
        Assert.True(list.Instance.Timeline.Change(message with { Files = [message.Files[0] with { ThumbnailReady = true }], ChangeSeq = 1 }, Quote).Shown);
        list.Render(p => p.Add(l => l.OnEdit, (_, _) => Task.FromResult(ChangeResult.Done())));

        var image = list.Find(".file-image img");
        Assert.Equal(("68", "270"), (image.GetAttribute("width"), image.GetAttribute("height")));
        Assert.Empty(list.FindAll(".file-image-pending"));
    }

    [Theory]
    [InlineData(100, 50, 100, 50)] // smaller than the box: its own size
    [InlineData(720, 270, 360, 135)] // wide: the width decides
    [InlineData(null, null, 360, 270)] // unknown: the whole box
    public void ShownSize_FitsTheBox_WithoutEnlarging(int? width, int? height, int shownWidth, int shownHeight) =>
        Assert.Equal((shownWidth, shownHeight), MessageFiles.ShownSize(width, height));

    [Fact]
    public void OtherFile_IsACard_WithItsTypesIcon_NameSize_AndADownloadLink()
    {
        var row = RenderRow(Message("the numbers", Report));

        var card = row.QuerySelector(".file-card")!;
        Assert.Equal(PathsOf(MudBlazor.Icons.Material.Filled.PictureAsPdf), card.QuerySelector("svg")!.QuerySelectorAll("path").Select(p => p.GetAttribute("d")));
        Assert.Equal("report.pdf", card.QuerySelector(".file-name")!.TextContent);
        Assert.Equal("1.2 MB", card.QuerySelector(".file-size")!.TextContent);
        var link = card.QuerySelector("a")!;
        Assert.Equal("/files/ReportReportReportRepo/report.pdf", link.GetAttribute("href"));
        Assert.Equal("report.pdf", link.GetAttribute("download"));
        Assert.Equal("Download report.pdf", link.GetAttribute("aria-label"));
        Assert.Empty(row.QuerySelectorAll("img, .file-image"));
    }

    [Theory]
    [InlineData("application/zip", "logs.zip", nameof(MudBlazor.Icons.Material.Filled.FolderZip))]
    [InlineData("text/plain; charset=utf-8", "notes.txt", nameof(MudBlazor.Icons.Material.Filled.Description))]
    [InlineData("image/svg+xml", "drawing.svg", nameof(MudBlazor.Icons.Material.Filled.Image))]
    [InlineData("application/octet-stream", "archive.tar", nameof(MudBlazor.Icons.Material.Filled.FolderZip))]
    [InlineData("application/octet-stream", "program.exe", nameof(MudBlazor.Icons.Material.Filled.InsertDriveFile))]
    public void CardIcon_FollowsTheType(string contentType, string name, string icon)
    {
        var expected = (string)typeof(MudBlazor.Icons.Material.Filled).GetField(icon)!.GetValue(null)!;

        var shown = MessageFiles.TypeIcon(Report with { ContentType = contentType, Name = name });

        Assert.Contains(expected, shown.Value);
    }

    [Fact]
    public void MessageOfFilesAlone_HasNoTextLine()
    {
        var row = RenderRow(Message("", Photo, Report));

        Assert.Empty(row.QuerySelectorAll(".message-body"));
        Assert.Equal(2, row.QuerySelector(".message-files")!.Children.Length);
    }

    [Fact]
    public void DeletedMessage_ShowsNoFiles()
    {
        var row = RenderRow(Message("gone", Photo) with { Deleted = true });

        Assert.Empty(row.QuerySelectorAll(".message-files"));
        Assert.Equal("message deleted", row.QuerySelector(".message-body")!.TextContent);
    }

    private static IEnumerable<string> PathsOf(string icon) =>
        System.Text.RegularExpressions.Regex.Matches(icon, "d=\"([^\"]+)\"").Select(m => m.Groups[1].Value);

    private static readonly ReplyQuote Quote = new(0, 0, "", "", false);

    private static MessageView Message(string body, params FileView[] files) =>
        new(1, 1, 1, "u2", "bob", body, DateTime.UtcNow, null, false) { Files = files };

    private AngleSharp.Dom.IElement RenderRow(MessageView message) => RenderList(message).Find(".message");

    private IRenderedComponent<MessageList> RenderList(MessageView message)
    {
        var timeline = new ChatTimeline(200);
        timeline.ShowNewest([message]);
        return Render<MessageList>(p => p
            .Add(l => l.Timeline, timeline).Add(l => l.MyUserId, "me")
            .Add(l => l.OnLoadOlder, () => Task.CompletedTask));
    }
}
