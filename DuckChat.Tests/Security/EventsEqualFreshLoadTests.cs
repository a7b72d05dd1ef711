using DuckChat.Tests.Files;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using DuckChat.Web.Chats;
using DuckChat.Web.Chats.Formatting;
using DuckChat.Web.Chats.Reading;
using DuckChat.Web.Data;
using DuckChat.Web.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Security;

/// <summary>
/// A seeded random run of 500 operations by four people (send, reply, edit, delete, react, open, read, create group,
/// add, remove, leave, mute; texts that mention people, members or not, and everyone; files and images, whose
/// thumbnails arrive later). Each person keeps a model
/// built only from the events their circuits receive: their chat list, their badges (unread, mention, mute), and
/// every message they were told of, as its newest version (text, deletion, reactions, mentions, the quote it shows, files).
/// At the end all must equal what a fresh load shows them, and no event may have reached someone outside the chat.
/// </summary>
public sealed class EventsEqualFreshLoadTests(UnthrottledAppFactory app) : IClassFixture<UnthrottledAppFactory>
{
    private static readonly MessageFormatter Formatter = new();

    private sealed record ChatState(long LastSeq, string Preview);

    /// <summary>What a page shows of a message, in a form that compares by value.</summary>
    private sealed record MessageState(int ChatId, long ChangeSeq, string Text, bool Deleted, string Reactions, string Mentions, ReplyQuote? Quote, string Files)
    {
        public static MessageState Of(MessageView m) => new(m.ChatId, m.ChangeSeq, m.DisplayText, m.Deleted,
            string.Join(" ", m.Reactions.Select(r => $"{r.Emoji}:{string.Join(",", r.UserIds)}")),
            string.Join(" ", m.Mentions.Select(x => $"{x.UserId}:{x.Name}:{x.Kind}")), m.ReplyTo, string.Join(" ", m.Files));
    }

    /// <summary>A 1 × 1 PNG: an image whose thumbnail arrives later, as a change of its message.</summary>

    /// <summary>Sometimes files: an image, a text file, or both.</summary>
    private async Task<IReadOnlyList<string>?> FilesOfAsync(Random random, ApplicationUser sender, int chatId, int step)
    {
        var kind = random.Next(6);
        var files = new List<(string Name, byte[] Bytes)>();
        if (kind is 0 or 2)
        {
            files.Add(($"pic-{step}.png", TestImages.OnePixelPng));
        }

        if (kind is 1 or 2)
        {
            files.Add(($"notes-{step}.txt", System.Text.Encoding.UTF8.GetBytes($"notes of step {step}")));
        }

        var ids = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var uploaded = await app.UploadAsync(sender, chatId, name, bytes);
            Assert.NotNull(uploaded.File);
            ids.Add(uploaded.File.Id);
        }

        return ids.Count > 0 ? ids : null;
    }

    /// <summary>Sometimes a mention: of someone (in the chat or not), or of everyone.</summary>
    private static string MentionOf(Random random) => random.Next(4) switch
    {
        0 => $" @model-{random.Next(4)}",
        1 when random.Next(3) == 0 => " @all",
        _ => "",
    };

    [Fact]
    public async Task FiveHundredRandomOperations_EventModelsEqualAFreshLoad_AndNoEventReachesANonMember()
    {
        var random = new Random(20261125);
        var bus = app.Services.GetRequiredService<IMessageBus>();
        var people = new List<ApplicationUser>();
        for (var i = 0; i < 4; i++)
        {
            people.Add(await app.CreatePersonAsync($"model-{i}"));
        }

        var members = new Dictionary<int, HashSet<string>>(); // the test's own truth: who is in which chat
        var models = people.ToDictionary(p => p.Id, _ => new Dictionary<int, ChatState>());
        // The circuits' real unread state (it asks the server where a newly joined chat's reading starts).
        var unread = people.ToDictionary(p => p.Id, p => app.ServiceFor<UnreadState>(p, bus));
        foreach (var state in unread.Values)
        {
            await state.StartAsync();
        }

        var sent = new List<MessageView>(); // the test's own record of what was sent, to pick from
        var emoji = new EmojiCatalog();
        var reactions = new[] { "👍️", "🎉", "❤️" };
        Assert.All(reactions, r => Assert.True(emoji.Contains(r)));
        var pages = people.ToDictionary(p => p.Id, _ => new Dictionary<long, MessageState>());
        var received = new List<(string UserId, BusEvent Event)>();
        var subscriptions = people.Select(p => bus.Subscribe(Topics.User(p.Id), e =>
        {
            lock (received)
            {
                received.Add((p.Id, e));
            }

            Apply(models[p.Id], p.Id, e);
            ApplyToPages(pages[p.Id], p.Id, e);
            return Task.CompletedTask;
        })).ToList();

        for (var step = 0; step < 500; step++)
        {
            var actor = people[random.Next(people.Count)];
            var myChats = members.Where(m => m.Value.Contains(actor.Id)).Select(m => m.Key).OrderBy(id => id).ToList();
            var groups = app.ServiceFor<GroupService>(actor, bus);
            lock (received)
            {
                received.Clear();
            }

            var inMyChats = sent.Where(m => myChats.Contains(m.ChatId)).ToList();
            var mine = inMyChats.Where(m => m.SenderId == actor.Id).ToList();
            var actions = app.ServiceFor<MessageActions>(actor, bus);
            switch (random.Next(15))
            {
                case 14 when myChats.Count > 0:
                    var muted = myChats[random.Next(myChats.Count)];
                    var level = (MuteLevel)random.Next(3);
                    Assert.True((await app.ServiceFor<Web.Notifications.NotificationSettings>(actor, bus).MuteAsync(muted, level)).Succeeded);
                    break;
                case <= 3 when myChats.Count > 0:
                    var target = myChats[random.Next(myChats.Count)];
                    var files = await FilesOfAsync(random, actor, target, step);
                    var posted = await app.ChatServiceFor(actor, bus).SendAsync(target, $"step **{step}**{MentionOf(random)}", Guid.NewGuid(), fileIds: files);
                    Assert.True(posted.Succeeded);
                    sent.Add(posted.Message!);
                    break;
                case 10 when inMyChats.Count > 0:
                    var original = inMyChats[random.Next(inMyChats.Count)];
                    var reply = await app.ChatServiceFor(actor, bus).SendAsync(original.ChatId, $"reply at {step}", Guid.NewGuid(), original.Id);
                    Assert.True(reply.Succeeded);
                    sent.Add(reply.Message!);
                    break;
                case 11 when mine.Count > 0:
                    var edited = mine[random.Next(mine.Count)];
                    await actions.EditAsync(edited.ChatId, edited.Id, $"edited at step {step}{MentionOf(random)}"); // refused once deleted
                    break;
                case 12 when mine.Count > 0 && random.Next(3) == 0:
                    var deleted = mine[random.Next(mine.Count)];
                    await actions.DeleteAsync(deleted.ChatId, deleted.Id);
                    break;
                case 13 when inMyChats.Count > 0:
                    var reacted = inMyChats[random.Next(inMyChats.Count)];
                    await actions.ToggleReactionAsync(reacted.ChatId, reacted.Id, reactions[random.Next(reactions.Length)]);
                    break;
                case 4:
                    var other = people[random.Next(people.Count)];
                    if (other != actor)
                    {
                        var opened = await app.ChatServiceFor(actor, bus).OpenDirectChatAsync(other.UserName!);
                        members[opened.ChatId] = [actor.Id, other.Id];
                    }

                    break;
                case 5 when myChats.Count > 0:
                    var read = myChats[random.Next(myChats.Count)];
                    var state = (await app.ServiceFor<ReadPositions>(actor, bus).GetStatesAsync(read))[read];
                    await app.ReadUpToAsync(actor, read, random.NextInt64(0, state.LastSeq + 1), bus);
                    break;
                case 6:
                    var invited = people.Where(p => p != actor && random.Next(2) == 0).ToList();
                    var created = await groups.CreateAsync($"group {step}", invited.Select(p => p.Id).ToList());
                    members[created.ChatId] = [actor.Id, .. invited.Select(p => p.Id)];
                    break;
                case 7 when myChats.Count > 0:
                    var addTo = myChats[random.Next(myChats.Count)];
                    var newcomer = people[random.Next(people.Count)];
                    if ((await groups.AddMembersAsync(addTo, [newcomer.Id])).Succeeded)
                    {
                        members[addTo].Add(newcomer.Id);
                    }

                    break;
                case 8 when myChats.Count > 0:
                    var removeFrom = myChats[random.Next(myChats.Count)];
                    var removed = people[random.Next(people.Count)];
                    if ((await groups.RemoveMemberAsync(removeFrom, removed.Id)).Succeeded)
                    {
                        members[removeFrom].Remove(removed.Id);
                    }

                    break;
                case 9 when myChats.Count > 0:
                    var leave = myChats[random.Next(myChats.Count)];
                    if ((await groups.LeaveAsync(leave)).Succeeded)
                    {
                        members[leave].Remove(actor.Id);
                    }

                    break;
            }

            // Thumbnails made meanwhile change their messages, as the worker does between any two steps.
            await app.Services.GetRequiredService<Web.Files.FileWorker>().DoDueAsync(TestContext.Current.CancellationToken);
            await ((InProcessMessageBus)bus).DeliveredAsync(TestContext.Current.CancellationToken);
            lock (received)
            {
                foreach (var (userId, busEvent) in received)
                {
                    var chatId = busEvent switch
                    {
                        MessagePosted posted => posted.Message.ChatId,
                        MessageChanged changed => changed.Message.ChatId,
                        ChatChanged changed => changed.ChatId,
                        ReadPositionChanged read => read.ChatId,
                        _ => (int?)null,
                    };
                    Assert.True(chatId is null || members[chatId.Value].Contains(userId),
                        $"step {step}: {busEvent.GetType().Name} for chat {chatId} reached a non-member");
                }
            }
        }

        subscriptions.ForEach(s => s.Dispose());
        var mentionBadges = 0;
        var mentioning = 0;
        var thumbnailed = 0;
        foreach (var person in people)
        {
            var fresh = new List<ChatSummary>();
            for (var page = await app.ChatServiceFor(person).ListChatsAsync(); page.Count > 0; page = await app.ChatServiceFor(person).ListChatsAsync(page[^1].Cursor))
            {
                fresh.AddRange(page);
            }

            var expected = fresh.ToDictionary(c => c.Id, c => new ChatState(c.LastSeq, c.Preview ?? ""));
            Assert.Equal(expected.OrderBy(e => e.Key), models[person.Id].OrderBy(e => e.Key));
            var reads = await app.ServiceFor<ReadPositions>(person).GetStatesAsync();
            // The counts take their events on the circuit's side of an inbox, which may still be at work.
            await Eventually.TrueAsync(() => Task.FromResult(fresh.All(chat =>
                    new ChatBadge(reads[chat.Id].Unread, reads[chat.Id].MentionUnread, reads[chat.Id].Mute) == unread[person.Id].BadgeOf(chat.Id))),
                because: "the badges to take every event");
            Assert.Equal(reads.Values.Where(r => r.Mute == MuteLevel.None).Sum(r => r.Unread), unread[person.Id].Total);
            mentionBadges += reads.Values.Count(r => r.MentionUnread);
            unread[person.Id].Dispose();

            // Every message this person was told of shows, by its events alone, as a fresh load shows it.
            var freshMessages = new Dictionary<long, MessageState>();
            foreach (var chat in fresh)
            {
                for (var page = await app.ChatServiceFor(person).GetHistoryAsync(chat.Id); page.Count > 0; page = await app.ChatServiceFor(person).GetHistoryAsync(chat.Id, page[0].Seq))
                {
                    foreach (var message in page)
                    {
                        freshMessages[message.Id] = MessageState.Of(message);
                    }
                }
            }

            var told = pages[person.Id].Where(m => freshMessages.ContainsKey(m.Key)).OrderBy(m => m.Key).ToList();
            Assert.NotEmpty(told);
            Assert.Equal(told.Select(m => (m.Key, freshMessages[m.Key])), told.Select(m => (m.Key, m.Value)));
            mentioning += told.Count(m => m.Value.Mentions != "");
            thumbnailed += told.Count(m => m.Value.Files.Contains("ThumbnailReady = True", StringComparison.Ordinal));
        }

        // The run did exercise mentions: some were shown, and some still wait to be read.
        Assert.True(mentionBadges > 0 && mentioning > 0, $"{mentionBadges} mention badges, {mentioning} messages with mentions");
        Assert.True(thumbnailed > 0, "no image's thumbnail reached a page by its event");
    }

    /// <summary>
    /// What a person's open pages do with a message event (as ChatTimeline does): a new message is shown; a changed
    /// one replaces an older version; a reply's quote follows a newer version of its original.
    /// </summary>
    private static void ApplyToPages(Dictionary<long, MessageState> page, string me, BusEvent busEvent)
    {
        lock (page)
        {
            switch (busEvent)
            {
                case MemberRemoved removed when removed.UserId == me:
                    // Out of the chat its page closes; coming back opens it afresh.
                    foreach (var (id, _) in page.Where(m => m.Value.ChatId == removed.ChatId).ToList())
                    {
                        page.Remove(id);
                    }

                    break;
                case MessagePosted { Message: var message }:
                    page.TryAdd(message.Id, MessageState.Of(message));
                    break;
                case MessageChanged { Message: var message }:
                    if (!page.TryGetValue(message.Id, out var shown) || shown.ChangeSeq < message.ChangeSeq)
                    {
                        page[message.Id] = MessageState.Of(message);
                    }

                    var quote = ReplyQuote.Of(message, Formatter);
                    foreach (var (id, state) in page.ToList())
                    {
                        if (state.Quote is { } old && old.Id == message.Id && !state.Deleted && old.ChangeSeq < quote.ChangeSeq)
                        {
                            page[id] = state with { Quote = quote };
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>What a person's chat list does with an event on their topic, reduced to what it shows.</summary>
    private static void Apply(Dictionary<int, ChatState> model, string me, BusEvent busEvent)
    {
        lock (model)
        {
            switch (busEvent)
            {
                case MessagePosted { Message: var message } when !model.TryGetValue(message.ChatId, out var known) || message.Seq > known.LastSeq:
                    model[message.ChatId] = new ChatState(message.Seq, ChatStore.Preview(message, Formatter));
                    break;
                case MessageChanged { Message: var message } when model.TryGetValue(message.ChatId, out var known) && message.Seq == known.LastSeq:
                    model[message.ChatId] = known with { Preview = ChatStore.Preview(message, Formatter) };
                    break;
                case MemberRemoved removed when removed.UserId == me:
                    model.Remove(removed.ChatId);
                    break;
            }
        }
    }
}
