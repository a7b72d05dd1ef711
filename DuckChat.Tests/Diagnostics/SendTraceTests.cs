using System.Diagnostics;
using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace DuckChat.Tests.Diagnostics;

/// <summary>
/// With tracing on (an OTLP endpoint set), a send makes its span, the writer's commit links to it, the publish runs
/// under it, and none of the spans carries what was written or a URL's query.
/// </summary>
public sealed class SendTraceTests(SendTraceTests.TracedAppFactory app) : IClassFixture<SendTraceTests.TracedAppFactory>
{
    private const string Secret = "quack-trace-secret";

    [Fact]
    public async Task Send_MakesSendCommitAndPublishSpans_WithoutTheText()
    {
        // Arrange
        var alice = await app.CreatePersonAsync("trace-alice");
        await app.CreatePersonAsync("trace-bob");
        var chats = app.ChatServiceFor(alice);
        var chatId = (await chats.OpenDirectChatAsync("trace-bob")).ChatId;

        // Act
        var sent = await chats.SendAsync(chatId, $"{Secret} **bold**", Guid.NewGuid());

        // Assert
        Assert.True(sent.Succeeded, sent.Error);
        var spans = app.Spans;
        var send = Assert.Single(spans, s => s.OperationName == DuckChatTelemetry.SendSpan);
        Assert.Equal(default, send.ParentSpanId); // a send arrives by JS interop: its own trace
        var commit = Assert.Single(spans, s => s.OperationName == DuckChatTelemetry.CommitSpan && s.Links.Any(l => l.Context.SpanId == send.SpanId));
        Assert.Equal(send.TraceId, commit.Links.Single(l => l.Context.SpanId == send.SpanId).Context.TraceId);
        Assert.Equal(ActivityStatusCode.Ok, commit.Status);
        Assert.Contains(spans, s => s.OperationName == DuckChatTelemetry.PublishSpan && s.ParentSpanId == send.SpanId);
        AssertNothingCarries(spans, Secret);
    }

    [Fact]
    public async Task Request_WithAQuery_HasNoQueryInItsSpan()
    {
        // Act
        using var client = app.CreateHttpClient();
        using var response = await client.GetAsync("/Identity/Account/Login?ReturnUrl=%2Fquack-query-secret", TestContext.Current.CancellationToken);

        // Assert
        var request = await Eventually.GetAsync(() => Task.FromResult(app.Spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") is "/Identity/Account/Login")),
            span => span is not null, because: "the request's span");
        Assert.Null(request!.GetTagItem("url.query"));
        AssertNothingCarries(app.Spans, "quack-query-secret");
    }

    internal static void AssertNothingCarries(IReadOnlyList<Activity> spans, string text)
    {
        foreach (var span in spans)
        {
            Assert.DoesNotContain(text, span.DisplayName);
            Assert.DoesNotContain(span.TagObjects, tag => $"{tag.Value}".Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(span.Events.SelectMany(e => e.Tags), tag => $"{tag.Value}".Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The app as it runs with an OTLP endpoint set (nothing listens there), its spans also kept in memory for the test.</summary>
    public sealed class TracedAppFactory : DuckChatAppFactory
    {
        private readonly List<Activity> _spans = [];

        public TracedAppFactory() : this(new Dictionary<string, string?>())
        {
        }

        private TracedAppFactory(Dictionary<string, string?> settings)
            : base(new Dictionary<string, string?>(settings) { [TelemetryExtensions.OtlpEndpointVariable] = $"http://127.0.0.1:{TestPaths.FreePort()}" })
        {
        }

        /// <summary>The same, with more settings (Redis, a management listener).</summary>
        public static TracedAppFactory With(Dictionary<string, string?> settings) => new(settings);

        public IReadOnlyList<Activity> Spans
        {
            get
            {
                lock (_spans)
                {
                    return _spans.ToList();
                }
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing =>
                tracing.AddProcessor(new SimpleActivityExportProcessor(new OpenTelemetry.Exporter.InMemoryExporter<Activity>(new Locked(_spans))))));
        }

        /// <summary>The exporter adds from the threads spans end on; the test reads meanwhile.</summary>
        private sealed class Locked(List<Activity> spans) : ICollection<Activity>
        {
            public void Add(Activity item)
            {
                lock (spans)
                {
                    spans.Add(item);
                }
            }

            public int Count => Spans().Count;
            public bool IsReadOnly => false;
            public void Clear() => throw new NotSupportedException();
            public bool Contains(Activity item) => Spans().Contains(item);
            public void CopyTo(Activity[] array, int arrayIndex) => Spans().CopyTo(array, arrayIndex);
            public bool Remove(Activity item) => throw new NotSupportedException();
            public IEnumerator<Activity> GetEnumerator() => Spans().GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

            private List<Activity> Spans()
            {
                lock (spans)
                {
                    return spans.ToList();
                }
            }
        }
    }
}
