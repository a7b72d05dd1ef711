using DuckChat.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DuckChat.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class UnicodeTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    public static readonly string[] Texts =
    [
        "שלום, מה שלומך?",
        "مرحبا بالعالم",
        "abc\u202Edef",
        "x\u2066y\u2067z\u2068w\u2069",
        "zero\u200Bwidth\u200Cand\u200Djoin\u2060er",
        "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽",
        "e\u0301 a\u0308 n\u0303 Z\u0336",
        "line one\r\nline two\rthree\nfour",
        "tab\there and trailing spaces   ",
    ];

    [Fact]
    public async Task Messages_RoundTripByteForByte_InTheDatabase_AndShowTheirPlainRendering()
    {
        var alice = await app.CreatePersonAsync("uni-alice");
        await app.CreateUserAsync("uni-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("uni-bob")).ChatId;

        foreach (var text in Texts)
        {
            Assert.True((await chats.SendAsync(chatId, text, Guid.NewGuid())).Succeeded);
        }

        Assert.Equal(Texts, (await chats.GetHistoryAsync(chatId)).Select(m => m.Body));
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Equal(Texts, await db.Messages.Where(m => m.ChatId == chatId).OrderBy(m => m.Seq).Select(m => m.Body).ToListAsync(TestContext.Current.CancellationToken));
        }

        var page = await (await browser.NewContextAsync(app)).NewPageAsync();
        await page.LogInAsync("uni-bob");
        await page.OpenAsync($"/chats/{chatId}");
        await Eventually.TrueAsync(async () => (await page.MessageTextsAsync()).Count == Texts.Length, because: "all messages to show");
        Assert.Equal(Texts.Select(ChatPageExtensions.PlainRendering), (await page.MessageTextsAsync()).Select(ChatPageExtensions.Normalized));
    }

    [Fact]
    public async Task OverLongMessage_IsRefusedWhole_EvenWhenItEndsInTheMiddleOfAnEmoji()
    {
        var alice = await app.CreatePersonAsync("uni-long");
        await app.CreateUserAsync("uni-long-peer");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("uni-long-peer")).ChatId;

        var result = await chats.SendAsync(chatId, new string('x', 3999) + "🦆", Guid.NewGuid());

        Assert.False(result.Succeeded);
        Assert.Empty(await chats.GetHistoryAsync(chatId));
    }
}
