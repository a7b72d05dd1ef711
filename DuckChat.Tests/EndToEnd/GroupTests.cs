using DuckChat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DuckChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class GroupTests(BrowserFixture browser, UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    [Fact]
    public async Task ThreePeople_MakeAGroup_TalkLive_RemoveSomeone_CountUnread_AndFixTypos()
    {
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await app.CreateUserAsync(name);
        }

        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var carol = await PersonAsync("carol");

        // Alice creates the group from her home page.
        await alice.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await alice.GetByLabel("Group name").FillAsync("Ducks");
        foreach (var name in new[] { "bob", "carol" })
        {
            await alice.GetByRole(AriaRole.Textbox, new() { Name = "Add people" }).FillAsync(name);
            await alice.GetByRole(AriaRole.Button, new() { Name = $"Add {name}" }).ClickAsync();
        }

        await alice.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Ducks" })).ToBeVisibleAsync();
        await alice.MessageBox().WaitForAsync();

        // Bob and Carol see it arrive on their home pages and open it.
        foreach (var person in new[] { bob, carol })
        {
            var entry = person.GetByRole(AriaRole.Link, new() { NameRegex = new("^Ducks") });
            await Assertions.Expect(entry).ToContainTextAsync("alice created the group “Ducks”");
            await entry.ClickAsync();
            await person.MessageBox().WaitForAsync();
        }

        await alice.SendAsync("Welcome, ducks!");
        await bob.ExpectLastMessagesAsync(["alice created the group “Ducks”", "Welcome, ducks!"]);
        await carol.ExpectLastMessagesAsync(["alice created the group “Ducks”", "Welcome, ducks!"]);
        await carol.SendAsync("Quack from Carol");
        await alice.ExpectLastMessagesAsync(["Welcome, ducks!", "Quack from Carol"]);
        await Assertions.Expect(bob.Locator(".chat-members")).ToHaveTextAsync("alice, bob, carol");

        // Alice removes Carol: Carol's open page says so at once and gets nothing more.
        await alice.GetByRole(AriaRole.Button, new() { Name = "Group settings" }).ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Remove carol" }).ClickAsync();
        await Assertions.Expect(carol.GetByRole(AriaRole.Heading, new() { Name = "You are no longer in this chat" })).ToBeVisibleAsync();
        await bob.ExpectLastMessagesAsync(["Quack from Carol", "alice removed carol"]);
        await Assertions.Expect(bob.Locator(".chat-members")).ToHaveTextAsync("alice, bob");
        await alice.SendAsync("Carol cannot read this");
        await bob.ExpectLastMessagesAsync(["alice removed carol", "Carol cannot read this"]);
        Assert.DoesNotContain("Carol cannot read this", await carol.ContentAsync());

        // Bob is elsewhere: his home entry and his tab title count what Alice sends.
        await bob.GotoAsync("/");
        await bob.WaitForInteractiveAsync();
        await Assertions.Expect(bob).ToHaveTitleAsync("DuckChat");
        foreach (var text in new[] { "one", "two", "three" })
        {
            await alice.SendAsync(text);
        }

        var bobsEntry = bob.GetByRole(AriaRole.Link, new() { NameRegex = new("^Ducks") });
        await Assertions.Expect(bobsEntry.Locator(".chat-list-unread")).ToHaveTextAsync("3");
        await Assertions.Expect(bob).ToHaveTitleAsync("(3) DuckChat");
        await bobsEntry.ClickAsync();
        await bob.ExpectLastMessagesAsync(["one", "two", "three"]);
        await Assertions.Expect(bob).ToHaveTitleAsync("DuckChat");

        // Alice fixes a typo and deletes a message; Bob's open page follows.
        await alice.SendAsync("I liek ducks");
        await alice.SendAsync("oops, wrong chat");
        await bob.ExpectLastMessagesAsync(["I liek ducks", "oops, wrong chat"]);
        await MessageMenuAsync(alice, "I liek ducks", "Edit");
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync("I like ducks");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await MessageMenuAsync(alice, "oops, wrong chat", "Delete");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await bob.ExpectLastMessagesAsync(["I like ducks", "message deleted"]);
        await Assertions.Expect(bob.Locator(".message", new() { HasText = "I like ducks" }).Locator(".message-edited")).ToHaveTextAsync("edited");
        await Assertions.Expect(bob).ToHaveTitleAsync("DuckChat");
    }

    [Fact]
    public async Task HiddenTab_CountsButShowsNothingNew_CatchesUpEveryMessageOnceWhenShown_AndMarkAsUnreadBringsTheBadgeBack()
    {
        await app.CreateUserAsync("hid-alice");
        await app.CreateUserAsync("hid-bob");
        var alice = await PersonAsync("hid-alice");
        var bob = await PersonAsync("hid-bob");
        await alice.OpenAsync("/dm/hid-bob");
        await alice.SendAsync("first");
        await bob.GetByRole(AriaRole.Link, new() { NameRegex = new("^hid-alice") }).ClickAsync();
        await bob.ExpectLastMessagesAsync(["first"]);
        await Assertions.Expect(bob).ToHaveTitleAsync("DuckChat");

        await bob.HideTabAsync();
        await alice.SendAsync("while you were away");
        await alice.SendAsync("and this");

        // A hidden tab's title follows (within a second); its rows do not, until it is shown.
        await Assertions.Expect(bob).ToHaveTitleAsync("(2) DuckChat");
        Assert.Equal(["first"], await bob.MessageTextsAsync());

        await bob.ShowTabAsync();
        await bob.ExpectLastMessagesAsync(["first", "while you were away", "and this"]);
        await Assertions.Expect(bob).ToHaveTitleAsync("DuckChat");

        await MessageMenuAsync(bob, "while you were away", "Mark as unread");
        await Assertions.Expect(bob).ToHaveTitleAsync("(2) DuckChat");
    }

    private async Task<IPage> PersonAsync(string userName)
    {
        var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await page.LogInAsync(userName);
        await page.WaitForInteractiveAsync();
        return page;
    }

    private static async Task MessageMenuAsync(IPage page, string messageText, string action)
    {
        var message = page.Locator(".message", new() { Has = page.Locator(".message-body", new() { HasTextString = messageText }) });
        await message.GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        // The rows share one menu: it offers editing and deleting only on one's own messages (replying and reacting on all).
        var own = await message.GetAttributeAsync("class") is { } classes && classes.Split(' ').Contains("mine");
        var items = page.GetByRole(AriaRole.Menuitem);
        await Assertions.Expect(items).ToHaveTextAsync(own ? ["Reply", "React", "Mark as unread", "Edit", "Delete"] : ["Reply", "React", "Mark as unread"]);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = action }).ClickAsync();
    }
}
